import SwiftUI
import TesseraLogic

/// The app: a lock screen until the vault is open, then tabs for codes, approvals and settings.
/// When the app is not active (app switcher, Control Centre) or the screen is being recorded or
/// mirrored, a privacy cover hides the codes — iOS's counterpart of Android's FLAG_SECURE.
@main
struct TesseraApp: App {
    @StateObject private var session = AppSession()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(session)
                .onOpenURL { url in session.incomingLink = url.absoluteString }
        }
        .onChange(of: scenePhase) { phase in
            session.scenePhaseChanged(phase)
        }
    }
}

/// Process-wide state: settings, the lock policy, the open vault's services.
@MainActor
final class AppSession: ObservableObject {
    @Published private(set) var services: AppServices?
    @Published var lockMessage: String?
    @Published var coverContent = false
    @Published var incomingLink: String?
    /// The recovery-key sheet of the open vault: the key issued at launch, and Settings' "New
    /// recovery key".
    @Published private(set) var recoveryKey: RecoveryKeyStore?
    let settings = AppSettings()
    let lock: LockPolicy

    init() {
        lock = LockPolicy(biometricLock: settings.biometricLock, autoLock: settings.autoLock)
        NotificationCenter.default.addObserver(forName: UIScreen.capturedDidChangeNotification, object: nil, queue: .main) { [weak self] _ in
            Task { @MainActor in self?.updateCover(active: true) }
        }
    }

    /// Asks for Face ID / Touch ID / passcode (when the lock is on), then opens the vault.
    func unlock() async {
        if settings.biometricLock {
            switch await LockGate.unlock(reason: "Unlock your codes") {
            case .unlocked(let context):
                open(context: context)
            case .cancelled:
                return
            case .notAvailable:
                lockMessage = "Set a passcode on this iPhone to protect your codes, or turn the lock off in Settings."
            }
        } else {
            open(context: nil)
        }
    }

    private func open(context: LAContextBox?) {
        do {
            let opened = try CoreServices.open(protector: KeychainKeyProtector(requireAuth: settings.biometricLock, context: context))
            services = opened
            recoveryKey = RecoveryKeyStore(keys: opened.recoveryKeys, issuedAtStart: opened.takeRecoveryKey())
            lock.unlocked()
            lockMessage = nil
        } catch {
            lockMessage = problemText((error as? Problem) ?? .unknown)
        }
    }

    var mustUnlock: Bool { services == nil || lock.mustUnlock }

    func scenePhaseChanged(_ phase: ScenePhase) {
        let now = Int64(ProcessInfo.processInfo.systemUptime * 1000) // monotonic
        switch phase {
        case .background:
            lock.backgrounded(now)
        case .active:
            lock.foregrounded(now)
            if lock.mustUnlock { close() }
        default:
            break
        }
        updateCover(active: phase == .active)
    }

    private func updateCover(active: Bool) {
        coverContent = settings.blockScreenshots && (!active || UIScreen.main.isCaptured)
    }

    /// Closes the vault (the core zeroizes its key) until the next unlock.
    func close() {
        services?.close()
        services = nil
        recoveryKey = nil // an unconfirmed key stays marked: the next unlock issues a fresh one
    }
}

/// Words for a problem category.
func problemText(_ problem: Problem) -> String {
    switch problem {
    case .invalidURI: return "That is not an authenticator QR code or link."
    case .wrongPassword: return "Wrong password."
    case .locked: return "Tessera is locked."
    case .notFound: return "It is not there any more."
    case .corrupted: return "The file is damaged or in a format Tessera does not read."
    case .network: return "The server could not be reached. Check the connection and try again."
    case .expired: return "The request expired. Start the sign-in again."
    case .alreadyAnswered: return "This request was already answered."
    case .keyUnavailable: return "The Keychain refused to unlock the vault (was the passcode removed?). Restore from a backup."
    case .unavailable: return "This version of Tessera cannot do that yet."
    case .unknown: return "Something went wrong. Try again."
    }
}
