// Visit times cross the FFI as RFC 3339 text with the UTC offset (the offset decides the local day).
import Foundation

public enum VisitTime {
    /// `2026-11-20T10:00:00+09:00` for `date` as seen in `timeZone`.
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    /// The instant of an RFC 3339 time, or nil if it is not one.
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

extension VisitFields {
    /// An empty draft form; every field may be missing in a draft (the validator says what is required).
    public static func draft(
        repId: String? = nil, hcpId: String? = nil, institutionId: String? = nil, channel: Channel? = nil,
        startedAt: String? = nil, durationMin: UInt32? = nil, products: [ProductDiscussed] = [],
        materialsShown: [MaterialShown] = [], reaction: Reaction? = nil, nextObjective: String? = nil,
        notes: String = "", insights: VisitInsights = .none
    ) -> VisitFields {
        VisitFields(
            repId: repId, hcpId: hcpId, institutionId: institutionId, channel: channel, startedAt: startedAt,
            durationMin: durationMin, products: products, materialsShown: materialsShown, reaction: reaction,
            nextObjective: nextObjective, notes: notes, insights: insights)
    }

    /// The start as an instant.
    public var startedAtDate: Date? { startedAt.flatMap(VisitTime.date) }
}
