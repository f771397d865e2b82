/// What a request learns about itself on its way through the routes that the journal wants to show: the OAuth
/// client it authenticated as. The journal middleware puts a fresh note in the task before it calls the routes;
/// the bearer check and `/oauth/token` fill it in. Only that one request's task touches it, one step at a time.
final class JournalNote: @unchecked Sendable {
    var client: String?

    @TaskLocal static var current: JournalNote?

    static func noteClient(_ client: String) { current?.client = client }
}
