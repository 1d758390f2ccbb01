import SwiftUI
import TesseraLogic

/// The lock screen until the vault is open, then the tabs. A privacy cover hides everything while
/// the app is inactive or the screen is captured.
struct RootView: View {
    @EnvironmentObject private var session: AppSession

    var body: some View {
        ZStack {
            if let services = session.services, !session.lock.mustUnlock {
                MainTabs(services: services)
            } else {
                LockView()
            }
            if let store = session.recoveryKey, session.services != nil, !session.lock.mustUnlock {
                RecoveryKeyPresenter(store: store)
            }
            if session.coverContent {
                PrivacyCover()
            }
        }
        .task { if session.services == nil { await session.unlock() } }
    }
}

private struct MainTabs: View {
    let services: AppServices
    @EnvironmentObject private var session: AppSession

    var body: some View {
        TabView {
            NavigationStack { CodesView(services: services, pasteboardSeconds: session.settings.pasteboardSeconds) }
                .tabItem { Label("Codes", systemImage: "number") }
            NavigationStack { ApprovalsView(services: services) }
                .tabItem { Label("Approvals", systemImage: "checkmark.shield") }
            NavigationStack { SettingsView(services: services) }
                .tabItem { Label("Settings", systemImage: "gear") }
        }
    }
}

private struct LockView: View {
    @EnvironmentObject private var session: AppSession

    var body: some View {
        VStack(spacing: 16) {
            Image(systemName: "lock.fill").font(.largeTitle).accessibilityHidden(true)
            Text("Tessera is locked").font(.title2)
            if let message = session.lockMessage {
                Text(message).multilineTextAlignment(.center)
            }
            Button("Unlock") { Task { await session.unlock() } }
                .buttonStyle(.borderedProminent)
        }
        .padding(32)
    }
}

private struct PrivacyCover: View {
    var body: some View {
        ZStack {
            Rectangle().fill(.regularMaterial).ignoresSafeArea()
            Label("Tessera", systemImage: "lock.fill").font(.title)
        }
        .accessibilityLabel("Tessera is hidden")
    }
}
