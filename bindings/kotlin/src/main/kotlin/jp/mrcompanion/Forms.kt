// Convenience for building a visit form: the generated record has no defaults.
package jp.mrcompanion

import java.time.OffsetDateTime
import uniffi.mrc_core.Channel
import uniffi.mrc_core.MaterialShown
import uniffi.mrc_core.ProductDiscussed
import uniffi.mrc_core.Reaction
import uniffi.mrc_core.VisitFields

/** A visit form; every field may be missing in a draft (the validator says what is required). */
fun visitFields(
    repId: String? = null,
    hcpId: String? = null,
    institutionId: String? = null,
    channel: Channel? = null,
    startedAt: OffsetDateTime? = null,
    durationMin: Int? = null,
    products: List<ProductDiscussed> = emptyList(),
    materialsShown: List<MaterialShown> = emptyList(),
    reaction: Reaction? = null,
    nextObjective: String? = null,
    notes: String = "",
): VisitFields = VisitFields(
    repId, hcpId, institutionId, channel, startedAt, durationMin?.toUInt(), products, materialsShown,
    reaction, nextObjective, notes,
)

/** A product discussed, priority 1 first. */
fun product(id: String, priority: Int = 1) = ProductDiscussed(id, priority.toUInt())

/** A material version shown. */
fun material(id: String, version: Int) = MaterialShown(id, version.toUInt())
