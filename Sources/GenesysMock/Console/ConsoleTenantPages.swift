import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// The Tenants page (CONTRACT §16): what a trainer watches during a class. Each tenant with its clock, its jobs and
/// its errors at a glance, and the actions (create, reset, delete), each a call from the page's script to
/// `/__admin/tenants`. A creation's secrets are shown once, by the script, from the answer to that call.
extension Console {
    struct TenantRow {
        var id: String; var name: String; var orgId: String; var created: String; var conversations: Int
        var clock: String; var frozen: Bool; var active: Int; var fulfilled: Int
        /// nil for none (a mustache section shows for any number, 0 too).
        var failed: Int?; var errors: Int?; var lastError: String?; var buckets: String
    }
    struct TenantsView { var chrome: ConsoleRenderer.Chrome; var orgId: String; var tenants: [TenantRow]; var count: Int; var hasTenants: Bool }

    @Sendable func tenants(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let summaries = try await services.db.tenantSummaries()
        // One pass over the journal's errors, newest first, grouped by client.
        var errors: [String: (count: Int, last: RequestJournal.Entry)] = [:]
        for e in control.journal.entries(RequestJournal.Filter(statusClass: "error"), limit: control.journal.capacity) {
            guard let client = e.client else { continue }
            if let seen = errors[client] { errors[client] = (seen.count + 1, seen.last) } else { errors[client] = (1, e) }
        }
        let rows: [TenantRow] = summaries.map { s in
            let record = try? TenantWorld(s.tenant).record
            let clients = [record?.adminClientId, record?.viewerClientId, record?.accessKeyId].compactMap { $0 }
            let mine = clients.compactMap { errors[$0] }
            let last = mine.max { $0.last.id < $1.last.id }?.last
            let clock = services.clock.tenantState(org: s.tenant.orgId)
            return TenantRow(id: s.tenant.id, name: s.tenant.name, orgId: s.tenant.orgId, created: ConsoleFormat.time(s.tenant.created),
                             conversations: s.tenant.conversations,
                             clock: ConsoleFormat.time(clock.map(services.clock.tenantNow) ?? services.now(s.tenant.orgId)),
                             frozen: clock?.frozenAt != nil, active: s.activeJobs, fulfilled: s.fulfilledJobs,
                             failed: s.failedJobs > 0 ? s.failedJobs : nil, errors: mine.isEmpty ? nil : mine.reduce(0) { $0 + $1.count },
                             lastError: last.map { "\($0.status) \($0.method) \($0.path)" },
                             buckets: record?.buckets.joined(separator: ", ") ?? "")
        }
        return renderer.page("tenants", TenantsView(chrome: chrome("Tenants", section: "/console/tenants", request, context, org),
                                                    orgId: org.id, tenants: rows, count: rows.count, hasTenants: !rows.isEmpty))
    }
}
