import Foundation
import TesseraLogic

/// The user's choices; none is secret, so UserDefaults.
final class AppSettings {
    private let defaults = UserDefaults.standard

    /// Face ID / Touch ID / passcode before codes are shown.
    var biometricLock: Bool {
        get { defaults.object(forKey: "biometricLock") as? Bool ?? true }
        set { defaults.set(newValue, forKey: "biometricLock") }
    }

    /// When the app locks again after leaving it.
    var autoLock: AutoLock {
        get { AutoLock.allCases.first { "\($0)" == defaults.string(forKey: "autoLock") } ?? .after1Minute }
        set { defaults.set("\(newValue)", forKey: "autoLock") }
    }

    /// Cover the codes in the app switcher and while the screen is recorded or mirrored.
    var blockScreenshots: Bool {
        get { defaults.object(forKey: "blockScreenshots") as? Bool ?? true }
        set { defaults.set(newValue, forKey: "blockScreenshots") }
    }

    /// Copied codes expire from the pasteboard after this many seconds.
    var pasteboardSeconds: Double {
        get { defaults.object(forKey: "pasteboardSeconds") as? Double ?? 30 }
        set { defaults.set(newValue, forKey: "pasteboardSeconds") }
    }
}
