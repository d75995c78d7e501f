import CEspeakNG
import CPocketSphinx
import HarkAudio
