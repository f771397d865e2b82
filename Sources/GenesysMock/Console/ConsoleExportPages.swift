import Foundation
import Hummingbird
import MockStore
import DocumentCodecs
import RecordingsDomain

/// The exports list (both faces), a job's page and the form that starts an export.
extension Console {
    struct JobRowView {
        var id: String; var shortId: String; var orgId: String; var face: String; var action: String; var state: String; var badge: String
        var percent: Int; var processed: Int; var skipped: Int; var failed: Int; var total: Int
        var caseId: String; var bucket: String; var created: String

        init(_ j: JobRecord) {
            id = j.id
            shortId = ConsoleFormat.shortId(j.id)
            orgId = j.orgId
            face = j.progress.kind == .export ? "export" : "recording job"
            action = j.progress.kind == .export ? "" : j.action
            state = j.state.rawValue
            badge = j.state.rawValue
            percent = j.progress.percentProgress
            processed = j.progress.processed
            skipped = j.progress.skipped
            failed = j.progress.failed
            total = j.progress.totalRecordings
            caseId = j.caseId ?? ""
            bucket = j.bucket
            created = ConsoleFormat.time(j.dateCreated)
        }
    }

    struct ExportsView { var chrome: ConsoleRenderer.Chrome; var orgId: String; var jobs: [JobRowView]; var liveJobsURL: String }

    @Sendable func exports(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let jobs = try await services.db.consoleJobs(orgId: org.id, limit: 200)
        return renderer.page("exports", ExportsView(chrome: chrome("Exports", section: "/console/exports", request, context, org), orgId: org.id,
                                                    jobs: jobs.map { JobRowView($0) },
                                                    liveJobsURL: "/__admin/jobs?orgId=\(org.id.urlQueryEncoded)&limit=200"))
    }

    struct JobDetail {
        var id: String; var orgId: String; var orgName: String; var face: String; var action: String; var state: String; var badge: String
        var percent: Int; var processed: Int; var skipped: Int; var failed: Int; var total: Int
        var caseId: String; var bucket: String; var prefix: String; var created: String; var completed: String
        var errorMessage: String?; var errorHint: String?; var manifestURL: String?; var custodyURL: String?
    }
    struct TimelineView { var time: String; var event: String; var record: String }
    struct FailedView { var conversationId: String; var recordingId: String; var errorMessage: String }
    struct JobView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var job: JobDetail; var timeline: [TimelineView]; var omitted: Int?
        var failedItems: [FailedView]; var failedTotal: Int
    }

    static func objectURL(bucket: String, key: String, org: String) -> String {
        "/console/buckets/\(bucket.urlQueryEncoded)/object?key=\(key.urlQueryEncoded)&org=\(org.urlQueryEncoded)"
    }

    @Sendable func job(_ request: Request, context: AppRequestContext) async throws -> Response {
        var org = try await org(request)
        let id = context.path("jobId")
        guard let j = try await services.db.consoleJob(id: id) else { throw ConsolePageError(status: .notFound, message: "No job \(id)") }
        if j.orgId != org.id { org = ConsoleOrg(id: j.orgId, name: org.name(of: j.orgId), all: org.all) }
        var custodyURL: String?
        if let manifest = j.manifestKey, j.caseId != nil {
            let custodyKey = String(manifest.dropLast("manifest.json".count)) + "chain-of-custody.json"
            if try await services.db.objectRecord(bucket: j.bucket, key: custodyKey) != nil {
                custodyURL = Self.objectURL(bucket: j.bucket, key: custodyKey, org: org.id)
            }
        }
        let p = j.progress
        let detail = JobDetail(
            id: j.id, orgId: j.orgId, orgName: org.name(of: j.orgId), face: p.kind == .export ? "export" : "recording job",
            action: p.kind == .export ? "" : j.action, state: j.state.rawValue, badge: j.state.rawValue, percent: p.percentProgress,
            processed: p.processed, skipped: p.skipped, failed: p.failed, total: p.totalRecordings, caseId: j.caseId ?? "", bucket: j.bucket,
            prefix: j.prefix ?? "", created: ConsoleFormat.time(j.dateCreated), completed: ConsoleFormat.time(j.dateCompleted),
            errorMessage: p.errorMessage ?? (j.state.isTerminal ? nil : services.waitingReason),
            errorHint: p.errorMessage.flatMap(ConsoleHints.jobHint),
            manifestURL: j.manifestKey.map { Self.objectURL(bucket: j.bucket, key: $0, org: org.id) }, custodyURL: custodyURL)
        let (entries, omitted) = try await services.db.timeline(jobId: j.id)
        let failed = try await services.db.failedItems(jobId: j.id, limit: 50, offset: 0)
        let view = JobView(
            chrome: chrome("Job \(ConsoleFormat.shortId(j.id))", section: "/console/exports", request, context, org), orgId: org.id, job: detail,
            timeline: entries.map { TimelineView(time: ConsoleFormat.time($0.time), event: $0.event, record: $0.record) },
            omitted: omitted > 0 ? omitted : nil,
            failedItems: failed.items.map { FailedView(conversationId: $0.conversationId, recordingId: $0.recordingId, errorMessage: $0.errorMessage) },
            failedTotal: failed.total)
        return renderer.page("job", view)
    }

    struct FormClient { var clientId: String; var secret: String }
    struct FormHold { var caseId: String; var status: String; var selected: Bool }
    struct NewExportView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var clients: [FormClient]; var buckets: [BucketView]; var firstRegion: String
        var holds: [FormHold]; var caseId: String?
    }

    @Sendable func newExport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let w = try await services.db.world()
        let secrets = fixtureSecrets
        // Clients of this org whose secret the console knows, the ones allowed to create exports first.
        let clients = w.clients.filter { $0.orgId == org.id && secrets[$0.clientId] != nil }
            .sorted { ($0.permissions.contains("recording:job:add") ? 0 : 1) < ($1.permissions.contains("recording:job:add") ? 0 : 1) }
            .map { FormClient(clientId: $0.clientId, secret: secrets[$0.clientId] ?? "") }
        let wanted = request.uri.queryParameters["caseId"].map(String.init)
        let holds = try await services.db.holds(orgId: org.id, status: nil)
        let buckets = w.buckets.map(BucketView.init)
        let view = NewExportView(
            chrome: chrome("New export", section: "/console/exports/new", request, context, org), orgId: org.id, clients: clients,
            buckets: buckets, firstRegion: buckets.first?.region ?? "", holds: holds.map {
                FormHold(caseId: $0.caseId, status: $0.status, selected: $0.caseId == wanted)
            }, caseId: wanted)
        return renderer.page("newexport", view)
    }
}
