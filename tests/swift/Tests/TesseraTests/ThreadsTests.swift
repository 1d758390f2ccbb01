import XCTest
import Tessera

final class ThreadsTests: XCTestCase {
    func testEightThreadsShareACodeBookAndParseLinks() throws {
        let accounts = (0..<40).map { i in
            account(secret: rfcSeedSha1 + String(repeating: "A", count: 8 * (i % 3)), issuer: "T\(i)")
        }
        let want = try accounts.map { try codeAt(account: $0, unixSeconds: 1_234_567_890) }
        let book = try CodeBook(accounts: accounts)
        let lock = NSLock()
        var done = 0
        var mismatches = 0
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            var n = 0, bad = 0
            for i in 0..<200 {
                if book.codesAt(unixSeconds: 1_234_567_890).map({ $0.code }) != want { bad += 1 }
                let a = accounts[(t + i) % accounts.count]
                if (try? parseUri(uri: try accountToUri(account: a))) != a { bad += 1 }
                n += 1
            }
            lock.lock(); done += n; mismatches += bad; lock.unlock()
        }
        XCTAssertEqual(done, 1600)
        XCTAssertEqual(mismatches, 0)
    }

    func testObjectsAreDestroyedWhenTheLastReferenceGoes() throws {
        weak var weakBook: CodeBook?
        do {
            let book = try CodeBook(accounts: [account()])
            weakBook = book
            XCTAssertEqual(book.len(), 1)
        }
        XCTAssertNil(weakBook)
        for _ in 0..<2_000 {
            XCTAssertEqual(try CodeBook(accounts: [account(), account(issuer: "b")]).len(), 2)
        }
    }
}
