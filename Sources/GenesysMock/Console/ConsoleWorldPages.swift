import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// The world page and the legal-hold pages.
extension Console {
    struct ClockView { var now: String; var frozen: Bool; var label: String; var badge: String; var toggle: String }
    struct ClientView { var clientId: String; var secret: String?; var name: String; var permissions: [String] }
    struct OrgView { var id: String; var name: String; var clients: [ClientView] }
    struct BucketView {
        var name: String; var region: String; var lock: Bool; var denyPut: Bool
        /// The remote store's endpoint, for a bucket that is not in the local sink.
        var remote: String?

        init(_ b: AppDatabase.BucketInfo) {
            name = b.name
            region = b.region
            lock = b.objectLockEnabled
            denyPut = b.denyPut
            remote = b.remote?.endpoint
        }
    }
    struct IntegrationView { var id: String; var name: String; var orgName: String; var bucketName: String; var region: String }
    struct WorldView {
        var chrome: ConsoleRenderer.Chrome
        var orgId: String
        var clock: ClockView
        var orgs: [OrgView]
        var tokenCurl: String
        var s3Endpoint: String
        var accessKeys: [AppDatabase.AccessKeyRow]
        var buckets: [BucketView]
        var integrations: [IntegrationView]
    }

    func clockView() -> ClockView {
        let frozen = services.clock.isFrozen
        return ClockView(now: Timestamp.format(millis: services.clock.nowMillis()), frozen: frozen, label: frozen ? "frozen" : "running",
                         badge: frozen ? "warn" : "ok", toggle: frozen ? "Let it run" : "Freeze")
    }

    @Sendable func world(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let w = try await services.db.world()
        let secrets = fixtureSecrets
        let orgs = w.orgs.map { o in
            OrgView(id: o.id, name: o.name, clients: w.clients.filter { $0.orgId == o.id }.map {
                ClientView(clientId: $0.clientId, secret: secrets[$0.clientId], name: $0.name, permissions: $0.permissions)
            })
        }
        let first = w.clients.first { $0.orgId == org.id && secrets[$0.clientId] != nil }
        let tokenCurl = first.map {
            "curl -sS -u \($0.clientId):\(secrets[$0.clientId] ?? "") -d grant_type=client_credentials \(origin(request))/oauth/token"
        } ?? ""
        let view = WorldView(
            chrome: chrome("World", section: "/console", request, context, org), orgId: org.id, clock: clockView(), orgs: orgs,
            tokenCurl: tokenCurl, s3Endpoint: s3Endpoint(request), accessKeys: w.accessKeys,
            buckets: w.buckets.map(BucketView.init),
            integrations: w.integrations.map {
                IntegrationView(id: $0.id, name: $0.name, orgName: org.name(of: $0.orgId), bucketName: $0.bucketName, region: $0.region)
            })
        return renderer.page("world", view)
    }

    struct HoldView {
        var caseId: String; var name: String; var description: String; var status: String; var badge: String
        var created: String; var released: String; var covers: String; var active: Bool
    }
    struct HoldsView { var chrome: ConsoleRenderer.Chrome; var orgId: String; var holds: [HoldView]; var mediaTypes: [String] }

    static func holdView(_ h: LegalHoldDTO) -> HoldView {
        var covers: [String] = []
        if !h.conversationIds.isEmpty { covers.append("\(h.conversationIds.count) conversation id\(h.conversationIds.count == 1 ? "" : "s")") }
        if let f = h.filter {
            if let i = f.interval { covers.append("interval \(i)") }
            if !f.mediaTypes.isEmpty { covers.append(f.mediaTypes.joined(separator: ", ")) }
        }
        func shown(_ iso: String?) -> String { iso.map { String($0.prefix(19)).replacingOccurrences(of: "T", with: " ") } ?? "" }
        return HoldView(caseId: h.caseId, name: h.name, description: h.description, status: h.status, badge: h.status,
                        created: shown(h.createdDate), released: shown(h.releasedDate),
                        covers: covers.isEmpty ? "nothing yet" : covers.joined(separator: "; "), active: h.status == "ACTIVE")
    }

    @Sendable func holds(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let holds = try await services.db.holds(orgId: org.id, status: nil)
        return renderer.page("holds", HoldsView(chrome: chrome("Legal holds", section: "/console/holds", request, context, org), orgId: org.id,
                                                holds: holds.map(Self.holdView), mediaTypes: MessengerType.all))
    }

    struct HoldPageView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var hold: HoldView; var jobs: [JobRowView]; var liveJobsURL: String
    }

    @Sendable func hold(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let caseId = context.path("caseId")
        guard let h = try await services.db.hold(orgId: org.id, caseId: caseId) else {
            throw ConsolePageError(status: .notFound, message: "No legal hold with case id '\(caseId)' in \(org.name)")
        }
        let jobs = try await services.db.consoleJobs(orgId: org.id, caseId: caseId, limit: 100)
        let view = HoldPageView(chrome: chrome(caseId, section: "/console/holds", request, context, org), orgId: org.id, hold: Self.holdView(h),
                                jobs: jobs.map { JobRowView($0) },
                                liveJobsURL: "/__admin/jobs?orgId=\(org.id.urlQueryEncoded)&caseId=\(caseId.urlQueryEncoded)")
        return renderer.page("hold", view)
    }
}
