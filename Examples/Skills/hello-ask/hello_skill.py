# A skill written for Alexa with the ASK SDK for Python (ask-sdk-core), as an Alexa developer writes one.
# Nothing here knows about Hark: run.py feeds it Alexa request envelopes.
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import get_slot_value, is_intent_name, is_request_type

COLOR_KEY = "favoriteColor"


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Welcome to hello world. You can say hello, or tell me your favorite color."
        return handler_input.response_builder.speak(speech).ask("What is your favorite color?").response


class HelloWorldIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("HelloWorldIntent")(handler_input)

    def handle(self, handler_input):
        name = get_slot_value(handler_input, "name")
        speech = "Hello, %s!" % name if name else "Hello world!"
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


class MyColorIsIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("MyColorIsIntent")(handler_input)

    def handle(self, handler_input):
        slot = handler_input.request_envelope.request.intent.slots["color"]
        resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else []
        matched = [r for r in resolutions if r.status.code.value == "ER_SUCCESS_MATCH"]
        if not matched:
            speech = "I don't know the color %s. Try red, green or blue." % slot.value
            return handler_input.response_builder.speak(speech).ask("What is your favorite color?").response
        color = matched[0].values[0].value.name
        handler_input.attributes_manager.session_attributes[COLOR_KEY] = color
        speech = ("I now know your favorite color is %s. You can ask me your favorite color by saying, "
                  "what's my favorite color?" % color)
        return handler_input.response_builder.speak(speech).ask("Ask me: what's my favorite color?").response


class WhatsMyColorIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("WhatsMyColorIntent")(handler_input)

    def handle(self, handler_input):
        color = handler_input.attributes_manager.session_attributes.get(COLOR_KEY)
        builder = handler_input.response_builder
        if color:
            return builder.speak("Your favorite color is %s. Goodbye!" % color).set_should_end_session(True).response
        speech = "I'm not sure what your favorite color is. You can say, my favorite color is red."
        return builder.speak(speech).ask(speech).response


class HelpIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        speech = "You can say hello to me, or tell me your favorite color. What would you like?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class CancelOrStopIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.CancelIntent")(handler_input) or is_intent_name("AMAZON.StopIntent")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Goodbye!").set_should_end_session(True).response


class SessionEndedRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        speech = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speech).ask(speech).response


sb = SkillBuilder()
sb.add_request_handler(LaunchRequestHandler())
sb.add_request_handler(HelloWorldIntentHandler())
sb.add_request_handler(MyColorIsIntentHandler())
sb.add_request_handler(WhatsMyColorIntentHandler())
sb.add_request_handler(HelpIntentHandler())
sb.add_request_handler(CancelOrStopIntentHandler())
sb.add_request_handler(SessionEndedRequestHandler())
sb.add_exception_handler(CatchAllExceptionHandler())

lambda_handler = sb.lambda_handler()
