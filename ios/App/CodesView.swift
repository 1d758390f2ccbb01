import SwiftUI
import TesseraLogic
import UniformTypeIdentifiers

/// The codes list: live countdown (ticks on the second; the core is asked only at period
/// boundaries), next code in the last seconds, tap to copy (expiring, local-only pasteboard item),
/// search and group chips. Each row is one VoiceOver element: the account, the code digit by digit
/// (the core's spoken form) and the time left.
struct CodesView: View {
    let services: AppServices
    @StateObject private var store: CodesStore
    @State private var copiedMessage: String?
    @State private var showAdd = false
    private let ticker = Timer.publish(every: 1, on: .main, in: .common).autoconnect()

    init(services: AppServices, pasteboardSeconds: Double) {
        self.services = services
        _store = StateObject(wrappedValue: CodesStore(source: services.codes, pasteboardSeconds: pasteboardSeconds))
    }

    var body: some View {
        List {
            if store.state.groups.count > 1 {
                ScrollView(.horizontal, showsIndicators: false) {
                    HStack {
                        ForEach(store.state.groups, id: \.label) { chip in
                            Button("\(chip.label) (\(chip.count))") { store.model.select(chip.filter) }
                                .buttonStyle(.bordered)
                                .tint(chip.selected ? .accentColor : .secondary)
                                .accessibilityAddTraits(chip.selected ? .isSelected : [])
                        }
                    }
                }
            }
            if let problem = store.state.problem {
                Text(problemText(problem)).foregroundStyle(.red)
            }
            switch store.state.empty {
            case .noAccounts?:
                EmptyVaultView(onAdd: { showAdd = true })
            case .noMatches?:
                Text("No account matches “\(store.state.query)”.")
            case nil:
                ForEach(store.state.rows, id: \.id) { row in
                    CodeRowView(row: row, onCopy: { copy(row) }, onNextHOTP: { store.model.nextHOTP(id: row.id, nowMillis: nowMillis()) })
                }
            }
        }
        .searchable(text: Binding(get: { store.state.query }, set: { store.model.search($0) }), prompt: "Search accounts")
        .navigationTitle("Codes")
        .toolbar {
            ToolbarItem(placement: .primaryAction) {
                Button { showAdd = true } label: { Label("Add account", systemImage: "plus") }
            }
        }
        .sheet(isPresented: $showAdd, onDismiss: { store.model.invalidate(nowMillis: nowMillis()) }) {
            NavigationStack { AddAccountView(services: services) }
        }
        .overlay(alignment: .bottom) {
            if let copiedMessage {
                Text(copiedMessage).padding().background(.thinMaterial, in: Capsule()).padding(.bottom, 24)
            }
        }
        .onAppear { store.model.invalidate(nowMillis: nowMillis()) }
        .onReceive(ticker) { _ in store.model.tick(nowMillis: nowMillis()) }
    }

    private func copy(_ row: CodeRow) {
        guard let request = store.model.copy(id: row.id, nowMillis: nowMillis()) else { return }
        // Local only (not Universal Clipboard) and gone after the expiry.
        UIPasteboard.general.setItems([[UTType.plainText.identifier: request.text]], options: [
            .localOnly: true,
            .expirationDate: Date().addingTimeInterval(request.expiresAfterSeconds),
        ])
        copiedMessage = request.isNextCode ? "Next code copied" : "Code copied"
        UIAccessibility.post(notification: .announcement, argument: copiedMessage)
        Task {
            try? await Task.sleep(nanoseconds: 2_000_000_000)
            copiedMessage = nil
        }
    }
}

private struct CodeRowView: View {
    let row: CodeRow
    let onCopy: () -> Void
    let onNextHOTP: () -> Void

    var body: some View {
        HStack {
            VStack(alignment: .leading, spacing: 4) {
                HStack(spacing: 4) {
                    if row.favourite { Image(systemName: "star.fill").foregroundStyle(.yellow) }
                    Text(row.title).font(.headline)
                }
                if !row.subtitle.isEmpty { Text(row.subtitle).font(.subheadline).foregroundStyle(.secondary) }
                Text(row.grouped.isEmpty ? "– – –" : row.grouped) // HOTP before its first code
                    .font(.system(size: 32, weight: .medium, design: .monospaced))
                    .foregroundStyle(row.countdown?.urgent == true ? Color.red : Color.accentColor)
                if let next = row.nextGrouped {
                    Text("Next: \(next)").font(.system(.body, design: .monospaced)).foregroundStyle(.secondary)
                }
            }
            Spacer()
            if let countdown = row.countdown {
                ZStack {
                    Circle().stroke(Color.secondary.opacity(0.3), lineWidth: 4)
                    Circle().trim(from: 0, to: countdown.fraction).stroke(Color.accentColor, lineWidth: 4).rotationEffect(.degrees(-90))
                    Text("\(countdown.secondsLeft)").font(.caption.monospacedDigit())
                }
                .frame(width: 40, height: 40)
            } else if row.type == .hotp {
                Button(action: onNextHOTP) { Image(systemName: "arrow.clockwise") }
                    .accessibilityLabel("Next code")
            }
        }
        .contentShape(Rectangle())
        .onTapGesture(perform: onCopy)
        // One element for VoiceOver: who, the code digit by digit, the time left; activating copies.
        .accessibilityElement(children: .ignore)
        .accessibilityLabel(row.accessibilityLabel)
        .accessibilityAddTraits(.isButton)
        .accessibilityHint("Copies the code")
        .accessibilityAction(named: "Next code") { if row.type == .hotp { onNextHOTP() } }
    }
}

private struct EmptyVaultView: View {
    let onAdd: () -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Text("No accounts yet").font(.title2)
            Text("Scan the QR code a website shows when you turn on two-step verification.")
            Button("Add an account", action: onAdd)
            NavigationLink("Using Tessera for Microsoft 365 or NHSmail") { GuideView() }
        }
    }
}
