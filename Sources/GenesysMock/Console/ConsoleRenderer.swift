import Foundation
import Hummingbird
import MockStore
import Mustache

/// The console's templates, parsed once at start-up, and the frame every page shares.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        let sources: [String: String] = [
            "head": LayoutTemplates.head, "foot": LayoutTemplates.foot,
            "signin": LayoutTemplates.signIn,
            "world": WorldTemplates.world, "holds": WorldTemplates.holds, "hold": WorldTemplates.hold,
            "jobtable": ExportTemplates.jobTable, "exports": ExportTemplates.exports, "job": ExportTemplates.job,
            "newexport": ExportTemplates.newExport,
            "conversations": BrowseTemplates.conversations, "chat": BrowseTemplates.chat, "buckets": BrowseTemplates.buckets,
            "bucket": BrowseTemplates.bucket, "object": BrowseTemplates.object,
            "downloads": DownloadTemplates.downloads,
            "tenants": TenantTemplates.tenants,
            "journal": ControlTemplates.journal, "journalrows": ControlTemplates.journalRows, "faults": ControlTemplates.faults,
        ]
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in sources { templates[name] = try MustacheTemplate(string: text) }
        library = MustacheLibrary(templates: templates)
    }

    func html(_ template: String, _ view: Any) -> String {
        library.render(view, withTemplate: template) ?? "<!doctype html><p>Template \(template) is missing</p>"
    }

    func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        ConsoleHTML.response(html(template, view), status: status)
    }

    struct NavItem { var href: String; var label: String; var current: Bool }
    struct OrgOption { var id: String; var name: String; var selected: Bool }

    /// What the shared head needs.
    struct Chrome {
        var title: String
        var csrf: String
        var orgId: String
        var path: String
        var orgs: [OrgOption]
        var nav: [NavItem]
        var signedIn: Bool
    }

    static let sections: [(path: String, label: String)] = [
        ("/console", "World"), ("/console/holds", "Legal holds"), ("/console/exports", "Exports"),
        ("/console/exports/new", "New export"), ("/console/conversations", "Conversations"), ("/console/downloads", "Batch downloads"),
        ("/console/buckets", "Buckets"),
        ("/console/journal", "Request journal"), ("/console/faults", "Faults & reset"), ("/console/tenants", "Tenants"),
    ]

    static func chrome(title: String, section: String, path: String, org: ConsoleOrg, csrf: String, signedIn: Bool) -> Chrome {
        let q = "?org=" + org.id.urlQueryEncoded
        return Chrome(title: title, csrf: csrf, orgId: org.id, path: path,
                      orgs: org.all.map { OrgOption(id: $0.id, name: $0.name, selected: $0.id == org.id) },
                      nav: sections.map { NavItem(href: $0.path + q, label: $0.label, current: $0.path == section) },
                      signedIn: signedIn)
    }
}

/// The org a page shows (`?org=`; the first org when absent or unknown) and every org, for the switcher.
struct ConsoleOrg: Sendable {
    var id: String
    var name: String
    var all: [AppDatabase.OrgRow]

    func name(of id: String) -> String { all.first { $0.id == id }?.name ?? id }
}

extension String {
    /// For a value inside a query string (RFC 3986 unreserved characters kept).
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }

    /// For a key inside a URL path: each segment encoded, '/' kept.
    var urlPathEncoded: String {
        split(separator: "/", omittingEmptySubsequences: false).map { String($0).urlQueryEncoded }.joined(separator: "/")
    }
}
