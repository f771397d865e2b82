import Foundation
@testable import GenesysMock
@testable import MockStore
import GRDB
import RecordingsDomain
import Testing

/// An export batch reads the audit chain's tail once and appends its entries after it: the chain is the same as if
/// each entry had read the tail itself, and entries appended singly before and after link on.
@Suite struct AuditTailTests {
    @Test func entriesAppendedAfterATailReadOnceKeepTheChainIntact() async throws {
        let db = try AppDatabase.inMemory()
        let seqs: [Int64] = try await db.write { db in
            var seqs: [Int64] = []
            for n in 0..<3 { seqs.append(try AuditLog.append(db, time: 1000, event: "single", orgId: "o", fields: ["n": .int(n)])) }
            var tail = try AuditLog.tail(db)
            #expect(tail.seq == 3)
            for n in 0..<5 {
                seqs.append(try AuditLog.append(db, after: &tail, time: 2000, event: "batched", orgId: "o", jobId: "j",
                                                fields: ["n": .int(n)]))
            }
            #expect(tail.seq == 8)
            seqs.append(try AuditLog.append(db, time: 3000, event: "single", orgId: "o"))
            return seqs
        }
        #expect(seqs == Array(1...9))
        let (broken, links) = try await db.read { db in
            (try AuditLog.firstBrokenLink(db),
             try Row.fetchAll(db, sql: "SELECT prev_hash, hash FROM audit_log ORDER BY seq").map { ($0[0] as String, $0[1] as String) })
        }
        #expect(broken == nil, "the chain is intact")
        #expect(links.first?.0 == AuditChain.genesisHash)
        for (a, b) in zip(links, links.dropFirst()) { #expect(b.0 == a.1, "each entry names the hash of the one before") }
    }

    @Test func anEmptyLogsTailIsTheGenesis() async throws {
        let db = try AppDatabase.inMemory()
        let tail = try await db.read { db in try AuditLog.tail(db) }
        #expect(tail.seq == 0 && tail.hash == AuditChain.genesisHash)
    }
}
