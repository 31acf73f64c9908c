// Compose screens: the visit form with the core's findings (as the MR types), the notes editor, the material
// shown after a tap. Texts of findings and tap reasons come from the core in Japanese and English.
package jp.mrcompanion.demo

import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.TextRange
import androidx.compose.ui.text.input.TextFieldValue
import androidx.compose.ui.unit.dp
import java.util.Locale
import uniffi.mrc_core.Finding
import uniffi.mrc_core.Severity
import uniffi.mrc_ffi.TapAction
import uniffi.mrc_ffi.TapReason

private val japanese get() = Locale.getDefault().language == "ja"
private fun Finding.text() = if (japanese) messageJa else messageEn
private fun TapReason.text() = if (japanese) messageJa else messageEn

@Composable
fun DemoScreens(model: VisitViewModel, nfcEnabled: Boolean) {
    Column(Modifier.verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        if (!nfcEnabled) Text(stringResource(R.string.nfc_off), color = MaterialTheme.colorScheme.error)
        MaterialPanel(model)
        VisitForm(model)
        NotesEditor(model)
        Findings(model)
    }
}

@Composable
private fun VisitForm(model: VisitViewModel) {
    val form by model.form.collectAsState()
    Text(stringResource(R.string.visit_form), style = MaterialTheme.typography.titleLarge)
    OutlinedTextField(form.hcpId.orEmpty(), { v -> model.edit { it.copy(hcpId = v) } }, label = { Text(stringResource(R.string.hcp_id)) })
    OutlinedTextField(form.institutionId.orEmpty(), { v -> model.edit { it.copy(institutionId = v) } }, label = { Text(stringResource(R.string.institution_id)) })
    OutlinedTextField(
        form.durationMin?.toString().orEmpty(),
        { v -> model.edit { it.copy(durationMin = v.toUIntOrNull()) } },
        label = { Text(stringResource(R.string.duration_min)) },
    )
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = { model.save() }) { Text(stringResource(R.string.save)) }
        Button(onClick = { model.submit() }) { Text(stringResource(R.string.submit)) }
    }
}

/** The notes field reports whole new values; the edited UTF-16 range is found and sent as one edit. */
@Composable
private fun NotesEditor(model: VisitViewModel) {
    val form by model.form.collectAsState()
    OutlinedTextField(
        value = TextFieldValue(form.notes, TextRange(form.notes.length)),
        onValueChange = { next ->
            val before = form.notes
            val after = next.text
            val prefix = before.commonPrefixWith(after).length
            val suffix = before.substring(prefix).commonSuffixWith(after.substring(prefix)).length
            model.editNotes(before, prefix, before.length - suffix, after.substring(prefix, after.length - suffix))
        },
        label = { Text(stringResource(R.string.notes)) },
        modifier = Modifier.fillMaxWidth(),
        minLines = 4,
    )
}

@Composable
private fun Findings(model: VisitViewModel) {
    val report by model.report.collectAsState()
    val current = report ?: return
    Text(stringResource(R.string.findings) + " — " + stringResource(R.string.score, current.score.toInt()))
    if (current.findings.isEmpty()) Text(stringResource(R.string.no_findings))
    for (finding in current.findings) {
        val label = if (finding.severity == Severity.ERROR) R.string.error_label else R.string.warning_label
        val color = if (finding.severity == Severity.ERROR) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.tertiary
        Text("${stringResource(label)}: ${finding.text()}", color = color)
    }
}

@Composable
private fun MaterialPanel(model: VisitViewModel) {
    val tap by model.tap.collectAsState()
    val context = LocalContext.current
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp)) {
            when (val action = tap?.action) {
                null -> Text(stringResource(R.string.tap_card))
                is TapAction.Open -> Text("${action.title}（${action.version}）\n${action.localPath}")
                is TapAction.Superseded -> Text("${action.title}（${action.currentVersion}）\n${action.localPath}")
                is TapAction.NotCached -> TextButton(onClick = {
                    context.startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(action.fallbackUrl)))
                }) { Text(stringResource(R.string.open_online)) }
                is TapAction.Withdrawn -> Text(action.reason.text())
                is TapAction.Expired -> Text(action.reason.text())
                is TapAction.UnknownCard -> Text(action.reason.text())
                is TapAction.Forged -> Text(action.reason.text(), color = MaterialTheme.colorScheme.error)
                is TapAction.Replay -> Text(action.reason.text(), color = MaterialTheme.colorScheme.error)
            }
        }
    }
}
