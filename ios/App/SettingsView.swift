import SwiftUI
import TesseraLogic

/// Biometric lock, auto-lock, the privacy cover, a new recovery key, the clock's drift, backup and the guide.
struct SettingsView: View {
    let services: AppServices
    @EnvironmentObject private var session: AppSession
    @State private var biometric = true
    @State private var autoLock = AutoLock.after1Minute
    @State private var cover = true
    @State private var drift = TimeDrift.of(nil, corrected: false)

    var body: some View {
        Form {
            Section("Security") {
                Toggle("Unlock with Face ID, Touch ID or passcode", isOn: $biometric)
                    .onChange(of: biometric) { value in
                        session.settings.biometricLock = value
                        session.lock.biometricLock = value
                    }
                if biometric {
                    Picker("Lock again", selection: $autoLock) {
                        ForEach(AutoLock.allCases, id: \.self) { Text(label($0)).tag($0) }
                    }
                    .onChange(of: autoLock) { value in
                        session.settings.autoLock = value
                        session.lock.autoLock = value
                    }
                }
                Toggle("Hide codes in the app switcher and screen recordings", isOn: $cover)
                    .onChange(of: cover) { session.settings.blockScreenshots = $0 }
            }
            Section {
                Button("New recovery key") { session.recoveryKey?.model.askForNew() }
            } header: {
                Text("Recovery key")
            } footer: {
                Text("Opens your codes on a new phone or if this iPhone's key is lost. Lost it? Make a new one: the old one stops working.")
            }
            Section("Time") {
                Text(drift.message).foregroundStyle(drift.level == .bad ? .red : drift.level == .warning ? .orange : .primary)
            }
            Section {
                NavigationLink("Backup, import and verify") { BackupView(services: services) }
                NavigationLink("Using Tessera for Microsoft 365 or NHSmail") { GuideView() }
            }
        }
        .navigationTitle("Settings")
        .onAppear {
            biometric = session.settings.biometricLock
            autoLock = session.settings.autoLock
            cover = session.settings.blockScreenshots
            drift = TimeDrift.of(services.time.offsetSeconds(), corrected: services.time.correctionEnabled())
        }
    }

    private func label(_ option: AutoLock) -> String {
        switch option {
        case .immediately: return "As soon as I leave the app"
        case .after30Seconds: return "After 30 seconds"
        case .after1Minute: return "After 1 minute"
        case .after5Minutes: return "After 5 minutes"
        case .never: return "Only when the phone restarts"
        }
    }
}
