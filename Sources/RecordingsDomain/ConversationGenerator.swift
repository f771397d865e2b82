import Foundation

/// Deterministic, realistic WhatsApp conversations for `genesys-mock seed` (CONTRACT §10): the same seed and
/// index always give the same conversation, so seeding twice adds nothing new.
public struct ConversationGenerator: Sendable {
    public let seed: UInt64
    public let orgId: String

    public init(seed: UInt64, orgId: String) {
        self.seed = seed
        self.orgId = orgId
    }

    static let queues: [(String, String)] = [
        ("ec00b6b6-73f3-4cb4-ab7f-639a12c96242", "Billing"), ("1c27a111-2e79-4517-9923-532996d7d261", "Technical Support"),
        ("e44ae1f1-a078-4138-a658-c244dfe0a570", "Moving Home"), ("32d00e35-9d84-4282-84be-c943ba9a623c", "Complaints"),
        ("b32468c2-a25d-4b34-bf42-dbba3230bb6b", "Fraud & Security"),
    ]
    static let agents: [(String, String)] = [
        ("38b7e922-e563-4b31-8eca-6856e0e932d9", "Tom Becker"), ("a0fc752c-3cc6-4b9b-8e4a-41df14b1440d", "Priya Raman"),
        ("170f7727-c5db-41fb-b4d2-a6a2263646c7", "Oluwaseun Adeyemi"), ("ba507a85-f1e9-45c9-b33a-7b62998996e4", "Marta Kowalska"),
        ("5646cd53-1285-49c6-b36d-cb5091ed0bf3", "Declan Murphy"),
    ]
    static let firstNames = ["Aisha", "Ben", "Carla", "Dmitri", "Elif", "Farah", "Gareth", "Hana", "Ivan", "Jia", "Kofi", "Lena",
                             "Mateo", "Nadia", "Oskar", "Priyanka", "Quentin", "Rosa", "Sven", "Tariq", "Ursula", "Vikram", "Wen", "Yara"]
    static let lastNames = ["Okafor", "Schmidt", "Haddad", "Nguyen", "Kowalski", "Silva", "Patel", "O'Brien", "Yilmaz", "Tanaka",
                            "Moreau", "Jensen", "Rossi", "Ahmed", "Fischer", "Lindqvist"]
    static let openers = [
        "Hi, my broadband has been dropping every evening this week", "Hello, I think my last bill is wrong",
        "Hi there, I'm moving house next month and need to move my contract", "I want to make a complaint about yesterday's engineer visit",
        "I got a text asking me to confirm my bank details, is it from you?", "Can I change the date my direct debit comes out?",
        "My router lights are all orange since this morning", "Why has my monthly price gone up?",
    ]
    static let customerLines = [
        "It's account number %d", "Yes that's the right address", "I've already restarted it twice 😕", "Thanks, that helps a lot",
        "Can you send me that in writing?", "No, nobody told me about that", "OK, I'll try that now", "Still the same I'm afraid",
        "That works for me 👍", "How long will that take?", "Great, thank you so much!", "Sorry, I was away from my phone",
    ]
    static let agentLines = [
        "Thanks for getting in touch, I'm %@ and I'll help you today.", "Could you confirm the first line of your address, please?",
        "I can see the account now, thank you.", "I've checked the line from here and I can see a fault on our side.",
        "I've raised a credit of £%d.50 which you'll see on your next bill.", "I've booked an engineer for Thursday between 8am and 1pm.",
        "That message didn't come from us: please don't reply to it.", "Is there anything else I can help with today?",
        "I've sent a confirmation to the email on the account.", "I'm sorry for the trouble this has caused.",
    ]

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A SplitMix64 stream for one conversation (and a seeded generator for tests).
    package struct Random: RandomNumberGenerator {
        var state: UInt64
        package init(state: UInt64) { self.state = state }
        package mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
        /// The 32 hex digits of two draws, shaped as a version-4 UUID (digit 12 becomes `4`, digit 16 the
        /// variant chosen by the top bits of the second draw). Written digit by digit: a million conversations
        /// draw eleven million of these.
        mutating func uuid() -> String {
            let a = next(), b = next()
            let digits = Array("0123456789abcdef".utf8)
            var hex = [UInt8](repeating: 0, count: 32)
            for i in 0..<16 {
                hex[i] = digits[Int((a >> UInt64(60 - 4 * i)) & 0xF)]
                hex[16 + i] = digits[Int((b >> UInt64(60 - 4 * i)) & 0xF)]
            }
            hex[12] = UInt8(ascii: "4")
            hex[16] = Array("89ab".utf8)[Int(b >> 62)]
            var out: [UInt8] = []
            out.reserveCapacity(36)
            for (i, digit) in hex.enumerated() {
                if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
                out.append(digit)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `template` with every `token` replaced by `value` (the templates above hold each token once at most).
    static func fill(_ template: String, _ token: String, _ value: String) -> String {
        let t = Array(template.utf8), k = Array(token.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(t.count + value.utf8.count)
        var i = 0
        while i < t.count {
            if i + k.count <= t.count, t[i..<(i + k.count)].elementsEqual(k) {
                out += value.utf8
                i += k.count
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func zeroPadded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    public func conversation(_ index: Int) -> Conversation {
        // Each conversation's stream starts at a hashed point, so neighbouring indexes never share draws.
        var r = Random(state: Self.mix(seed ^ Self.mix(UInt64(index) &+ 0x5851_F42D_4C95_7F2D)))
        let queue = r.pick(Self.queues)
        let agent = r.pick(Self.agents)
        let customer = Conversation.Participant(
            id: r.uuid(), purpose: "customer", name: "\(r.pick(Self.firstNames)) \(r.pick(Self.lastNames))",
            address: "+447700" + Self.zeroPadded(r.int(1_000_000), 6), userId: nil, externalContactId: r.uuid())
        let agentP = Conversation.Participant(id: r.uuid(), purpose: "agent", name: agent.1, address: "+442071234567",
                                              userId: agent.0, externalContactId: nil)
        // Between 2023-01-01 and 2023-06-30, in UTC.
        var t = Int64(1_672_531_200_000) + Int64(r.int(180 * 86_400)) * 1000 + Int64(r.int(1000))
        let start = t
        var messages: [Conversation.Message] = []
        let count = 3 + r.int(12)
        for i in 0..<count {
            let fromCustomer = i == 0 || (i % 2 == 0)
            var text: String
            if i == 0 {
                text = r.pick(Self.openers)
            } else if fromCustomer {
                let template = r.pick(Self.customerLines)
                text = Self.fill(template, "%d", String(10_000_000 + r.int(89_999_999)))
            } else {
                let template = Self.fill(r.pick(Self.agentLines), "%@", agent.1.split(separator: " ")[0].description)
                text = Self.fill(template, "%d", String(5 + r.int(40)))
            }
            var media: [Conversation.Media]?
            if fromCustomer, r.int(8) == 0 {
                media = [Conversation.Media(id: r.uuid(), url: "https://media.example.invalid/northwind/\(r.uuid()).jpg",
                                            mediaType: "image/jpeg", contentLength: 20_000 + r.int(200_000), name: "photo.jpg")]
                if r.int(2) == 0 { text = "" }
            }
            messages.append(Conversation.Message(id: r.uuid(), participantId: fromCustomer ? customer.id : agentP.id,
                                                 timestamp: Timestamp.format(millis: t), text: text, media: media, stickers: nil))
            t += Int64(5 + r.int(240)) * 1000 + Int64(r.int(1000))
        }
        return Conversation(id: r.uuid(), orgId: orgId, messengerType: "whatsapp", startTime: Timestamp.format(millis: start),
                            endTime: Timestamp.format(millis: t), queue: .init(id: queue.0, name: queue.1), recordingId: r.uuid(),
                            participants: [customer, agentP], messages: messages)
    }
}
