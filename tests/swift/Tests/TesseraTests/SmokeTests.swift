import XCTest
import Tessera

final class SmokeTests: XCTestCase {
    func testLibraryLoadsAndReportsItsVersion() {
        XCTAssertEqual(coreVersion().split(separator: ".").count, 3)
    }
}
