import Foundation

/// Where the acoustic model, dictionary and language model live.
public struct SpeechModelPaths: Sendable, Codable, Equatable {
    /// Folder of the acoustic model (mdef, means, variances, feat.params, ...).
    public var acousticModel: String
    /// Pronunciation dictionary (CMUdict format: `word  PH O N E S`).
    public var dictionary: String
    /// Generic n-gram language model (ARPA or binary), used by ``RecognitionGrammar/languageModel``.
    public var languageModel: String

    public init(acousticModel: String, dictionary: String, languageModel: String) {
        self.acousticModel = acousticModel
        self.dictionary = dictionary
        self.languageModel = languageModel
    }

    /// The US English model of Debian's `pocketsphinx-en-us` package.
    public static let debianDefault = SpeechModelPaths(
        acousticModel: "/usr/share/pocketsphinx/model/en-us/en-us",
        dictionary: "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict",
        languageModel: "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")

    /// The Debian package that provides the default model files.
    static let debianPackage = "pocketsphinx-en-us"

    /// Checks each path exists (a folder for the acoustic model, files otherwise).
    ///
    /// - Throws: ``SpeechError`` (``SpeechError/Code/missingModelPath``) naming the first missing path and the apt
    ///   package that provides the default model.
    public func validate() throws {
        try Self.require(acousticModel, directory: true, what: "acoustic model folder")
        try Self.require(dictionary, directory: false, what: "pronunciation dictionary")
        try Self.require(languageModel, directory: false, what: "language model")
    }

    /// Checks the acoustic model and the dictionary only (grammar decoding never reads the language model).
    func validateForGrammar() throws {
        try Self.require(acousticModel, directory: true, what: "acoustic model folder")
        try Self.require(dictionary, directory: false, what: "pronunciation dictionary")
    }

    func validateLanguageModel() throws {
        try Self.require(languageModel, directory: false, what: "language model")
    }

    private static func require(_ path: String, directory: Bool, what: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        guard exists, isDirectory.boolValue == directory else {
            let found = exists ? (directory ? " (it is a file)" : " (it is a folder)") : ""
            throw SpeechError.missingModelPath(what: what + found, path: path, package: debianPackage)
        }
    }
}
