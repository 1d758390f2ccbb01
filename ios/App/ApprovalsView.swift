import SwiftUI
import TesseraLogic

/// Sign-in approvals: the request with its context, number matching or a typed number, an expiry
/// countdown, approve / deny / "This wasn't me", the result, the push-bombing warning and history.
/// Polls every 10 s while shown (an APNs push is already in the core and shows at the next refresh).
struct ApprovalsView: View {
    @StateObject private var store: ApprovalsStore
    @State private var typed = ""
    @State private var seconds = 0
    private let ticker = Timer.publish(every: 1, on: .main, in: .common).autoconnect()

    init(services: AppServices) {
        _store = StateObject(wrappedValue: ApprovalsStore(source: services.approvals))
    }

    var body: some View {
        List {
            if store.state.fatigueWarning {
                Section {
                    Text("You have had several sign-in requests in a few minutes. If you are not signing in right now, someone else may have your password: tap “This wasn't me” and change it.")
                        .foregroundStyle(.red)
                }
            }
            Section { phaseView }
            if store.state.waiting > 0 { Text("\(store.state.waiting) more waiting") }
            if !store.state.history.isEmpty {
                Section("History") {
                    ForEach(store.state.history, id: \.id) { HistoryRow(record: $0) }
                }
            }
        }
        .navigationTitle("Approvals")
        .onAppear { store.perform { $0.refresh(nowMillis: $1) } }
        .onReceive(ticker) { _ in
            seconds += 1
            if seconds % 10 == 0 { store.perform { $0.refresh(nowMillis: $1) } }
            store.perform { $0.tick(nowMillis: $1) }
        }
    }

    @ViewBuilder private var phaseView: some View {
        switch store.state.phase {
        case .idle:
            Text("No sign-in requests waiting.")
        case .deciding, .wrongAnswer, .sending:
            if let shown = store.state.current { requestView(shown) }
        case .approved(let code):
            result("Approved", code.map { "Type this code on the sign-in page: \($0)" })
        case .denied(let reason):
            result("Denied", reason == .notMe
                   ? "Reported as not you. Change your password now and tell your IT service desk (NHSmail: your local administrator)."
                   : nil)
        case .expired:
            result("Expired", "Nothing was approved. Start the sign-in again if it was you.")
        case .failed(let problem):
            result("Not sent", problemText(problem))
        }
    }

    private func requestView(_ shown: ShownRequest) -> some View {
        let r = shown.request
        let sending = store.state.phase == .sending
        let total = max(1, r.expiresAtSeconds - r.receivedAtSeconds)
        return VStack(alignment: .leading, spacing: 10) {
            Text(r.title).font(.title2)
            Text(r.question)
            ForEach(shown.context, id: \.self) { Text($0).font(.caption) }
            ProgressView(value: Double(shown.secondsLeft), total: Double(total))
                .accessibilityLabel("Expires in \(shown.secondsLeft) seconds")
            Text("Expires in \(shown.secondsLeft) s").font(.caption)
            if store.state.phase == .wrongAnswer {
                Text("That number did not match. Look at the sign-in page and try again.").foregroundStyle(.red)
            }
            switch r.kind {
            case .chooseNumber:
                Text("Tap the number shown on the sign-in page")
                HStack {
                    ForEach(r.options, id: \.self) { option in
                        Button(option) { store.perform { $0.answer(option, nowMillis: $1) } }
                            .font(.system(.title, design: .monospaced))
                            .buttonStyle(.bordered)
                            .tint(shown.answer == option ? .accentColor : .secondary)
                            .accessibilityAddTraits(shown.answer == option ? .isSelected : [])
                    }
                }
            case .enterNumber:
                TextField("Number shown on the sign-in page", text: $typed)
                    .keyboardType(.numberPad)
                    .onChange(of: typed) { value in store.perform { $0.answer(value, nowMillis: $1) } }
            case .simple:
                EmptyView()
            }
            HStack {
                Button("Approve") { store.perform { $0.approve(nowMillis: $1) } }
                    .buttonStyle(.borderedProminent).disabled(!shown.canApprove || sending)
                Button("Deny") { store.perform { $0.deny(.cancel, nowMillis: $1) } }
                    .buttonStyle(.bordered).disabled(sending)
            }
            Button("This wasn't me", role: .destructive) { store.perform { $0.deny(.notMe, nowMillis: $1) } }
                .disabled(sending)
        }
        .buttonStyle(.borderless)
    }

    private func result(_ title: String, _ detail: String?) -> some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(title).font(.title2)
            if let detail { Text(detail) }
            Button("OK") {
                typed = ""
                store.perform { $0.dismiss(nowMillis: $1) }
            }
        }
        .accessibilityElement(children: .combine)
    }
}

private struct HistoryRow: View {
    let record: ApprovalRecord

    var body: some View {
        VStack(alignment: .leading) {
            Text(record.title)
            Text("\(decision) · \(record.service) · \(Date(timeIntervalSince1970: TimeInterval(record.decidedAtSeconds)).formatted(date: .abbreviated, time: .shortened))")
                .font(.caption).foregroundStyle(.secondary)
        }
        .accessibilityElement(children: .combine)
    }

    private var decision: String {
        switch record.decision {
        case .approved: return "Approved"
        case .deniedNotMe: return "Denied — not me"
        case .deniedCancel: return "Denied"
        case .expired: return "Expired"
        case .failed: return "Failed"
        }
    }
}
