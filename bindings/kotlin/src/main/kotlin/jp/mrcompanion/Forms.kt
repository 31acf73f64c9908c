// Convenience for building a visit form: the generated record has no defaults.
package jp.mrcompanion

import java.time.OffsetDateTime
import java.util.UUID
import uniffi.mrc_core.Channel
import uniffi.mrc_core.DoctorQuestion
import uniffi.mrc_core.InformationNeed
import uniffi.mrc_core.MaterialShown
import uniffi.mrc_core.ProductDiscussed
import uniffi.mrc_core.ProductStage
import uniffi.mrc_core.QuestionStatus
import uniffi.mrc_core.Reaction
import uniffi.mrc_core.SafetyMention
import uniffi.mrc_core.VisitFields
import uniffi.mrc_core.VisitInsights

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
    insights: VisitInsights = noInsights(),
): VisitFields = VisitFields(
    repId, hcpId, institutionId, channel, startedAt, durationMin?.toUInt(), products, materialsShown,
    reaction, nextObjective, notes, insights,
)

/** The doctor's insights of a visit; every list may be empty. */
fun visitInsights(
    stages: List<ProductStage> = emptyList(),
    needs: List<InformationNeed> = emptyList(),
    questions: List<DoctorQuestion> = emptyList(),
    safety: List<SafetyMention> = emptyList(),
): VisitInsights = VisitInsights(stages, needs, questions, safety)

/** A visit without insights. */
fun noInsights(): VisitInsights = visitInsights()

/** A question the doctor asked; [id] is made once by the app (a time-ordered UUID keeps the asking order). */
fun doctorQuestion(
    text: String,
    id: String = UUID.randomUUID().toString(),
    topic: String? = null,
    productId: String? = null,
    offLabel: Boolean = false,
    status: QuestionStatus = if (offLabel) QuestionStatus.ROUTED else QuestionStatus.OPEN,
) = DoctorQuestion(id, text, topic, productId, offLabel, status)

/** Safety information the doctor mentioned (a possible adverse event), not yet forwarded unless [forwarded]. */
fun safetyMention(
    text: String,
    id: String = UUID.randomUUID().toString(),
    productId: String? = null,
    forwarded: Boolean = false,
) = SafetyMention(id, text, productId, forwarded)

/** A product discussed, priority 1 first. */
fun product(id: String, priority: Int = 1) = ProductDiscussed(id, priority.toUInt())

/** A material version shown. */
fun material(id: String, version: Int) = MaterialShown(id, version.toUInt())
