package org.nopelab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.ui.editor.ExperimentAssist;
import org.eclipse.ui.part.MultiPageEditorSite;
import org.nopelab.ui.editor.ExperimentEditor;
import org.nopelab.ui.editor.ExperimentFormEditor;
import org.nopelab.ui.editor.ExperimentFormPage;
import org.nopelab.ui.editor.ExperimentMarkers;
import org.nopelab.ui.views.SimilarityView;

/** The experiment editor: problems appear as markers as you type and go when fixed; assist and hovers. */
class ExperimentEditorTest {
    @TempDir
    Path tmp;

    static final String VALID = "schema: nopelab/experiment/1\nname: edited\nmodel:\n  d_model: 32\n  heads: 4\n  layers: 2\ninput:\n  seq_len: 10\n";

    @Test
    void problemsBecomeMarkersAsYouTypeAndGoWhenFixed() throws Exception {
        Path file = tmp.resolve("edited.yaml");
        Files.writeString(file, VALID);
        SimilarityView view = (SimilarityView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(SimilarityView.ID);
        ExperimentEditor editor = view.edit(file);
        IDocument doc = editor.document();
        assertEquals(0, markers(editor, 0).length, "a valid file has no markers");
        assertEquals(java.util.List.of("schema", "name", "model", "model.d_model", "model.heads", "model.layers", "input", "input.seq_len"),
                editor.outlineKeys(), "the outline lists the keys as a tree");

        doc.set(VALID.replace("heads: 4", "heads: 0").replace("layers: 2", "layer: 2"));
        IMarker[] markers = markers(editor, 2);
        Arrays.sort(markers, (a, b) -> a.getAttribute(IMarker.LINE_NUMBER, 0) - b.getAttribute(IMarker.LINE_NUMBER, 0));
        assertEquals("model.heads: 0 is out of range; allowed 1 <= value <= 64", markers[0].getAttribute(IMarker.MESSAGE, ""));
        assertEquals(5, markers[0].getAttribute(IMarker.LINE_NUMBER, 0));
        assertEquals(IMarker.SEVERITY_ERROR, markers[0].getAttribute(IMarker.SEVERITY, -1));
        assertEquals(doc.get().indexOf("0\n  layer"), markers[0].getAttribute(IMarker.CHAR_START, -1), "the marker covers the bad value");
        assertEquals("unknown key 'layer' in model; did you mean 'layers'?", markers[1].getAttribute(IMarker.MESSAGE, ""));
        IMarkerResolution[] fixes = IDE.getMarkerHelpRegistry().getResolutions(markers[1]);
        assertEquals(1, fixes.length);
        assertEquals("Change to 'layers'", fixes[0].getLabel());
        fixes[0].run(markers[1]);
        assertTrue(doc.get().contains("  layers: 2\n"), doc.get());
        assertEquals(1, markers(editor, 1).length, "the quick fix removed one problem");

        doc.set(VALID);
        assertEquals(0, markers(editor, 0).length, "fixing the file clears its markers");
        editor.close(false);
    }

    @Test
    void formPageAndSourceEditTheSameText() throws Exception {
        Path file = tmp.resolve("form.yaml");
        Files.writeString(file, VALID.replace("name: edited\n", "name: form  # a comment the form keeps\n"));
        ExperimentEditor source = ((SimilarityView) Ui.page().showView(SimilarityView.ID)).edit(file);
        ExperimentFormEditor form = (ExperimentFormEditor) ((MultiPageEditorSite) source.getSite()).getMultiPageEditor();
        form.setActivePage(ExperimentFormPage.ID);
        ExperimentFormPage overview = form.overview();
        IDocument doc = source.document();
        assertEquals("4", overview.field("model.heads"));
        assertEquals("form", overview.field("name"));
        assertEquals("", overview.field("model.activation"), "a missing key shows empty: its default applies");

        overview.setField("model.heads", "8");
        overview.setField("model.activation", "silu");
        overview.setField("train.steps", "100");
        overview.setField("model.layers", "");
        assertEquals("schema: nopelab/experiment/1\nname: form  # a comment the form keeps\nmodel:\n  d_model: 32\n  heads: 8\n  activation: silu\n"
                + "input:\n  seq_len: 10\ntrain:\n  steps: 100\n", doc.get(), "each field rewrote its own line only");
        overview.setField("name", "renamed");
        assertTrue(doc.get().contains("name: renamed  # a comment the form keeps\n"), doc.get());

        doc.set(doc.get().replace("heads: 8", "heads: 0"));
        assertEquals("0", overview.field("model.heads"), "the form follows the text");
        Ui.waitFor("the field shows its key's problem marker", () -> overview.showsProblem("model.heads"));
        doc.set(doc.get().replace("heads: 0", "heads: 2"));
        Ui.waitFor("the fixed field shows no problem", () -> !overview.showsProblem("model.heads"));
        assertTrue(form.isDirty());
        source.close(false);
        Ui.waitFor("closing the Source page closes the editor", () -> Ui.page().findEditor(form.getEditorInput()) == null);
    }

    @Test
    void assistProposesKeysAndValuesAndHoversDocumentFields() {
        org.eclipse.jface.text.Document doc = new org.eclipse.jface.text.Document("schema: nopelab/experiment/1\nmodel:\n  lay\n  activation: ge\n  heads: 4\n");
        int afterLay = doc.get().indexOf("lay") + 3;
        assertEquals(java.util.List.of("layers", "layer_norm", "layers_pe", "layers_attention"), names(ExperimentAssist.proposals(doc, afterLay)));
        int afterGe = doc.get().indexOf(": ge") + 4;
        assertEquals(java.util.List.of("gelu", "gelu_tanh"), names(ExperimentAssist.proposals(doc, afterGe)));
        String hover = ExperimentAssist.hover(doc, doc.get().indexOf("heads"));
        assertTrue(hover.startsWith("Attention heads per layer."), hover);
        assertTrue(hover.contains("Range: 1 .. 64") && hover.contains("Default: 4"), hover);

        // a sweep's grid is keyed by field paths: assist offers them, hover documents the field behind the path
        org.eclipse.jface.text.Document sweep = new org.eclipse.jface.text.Document(
                "schema: nopelab/experiment/1\nsweep:\n  grid:\n    model.init.s\n    model.residual: [true, false]\n");
        int afterS = sweep.get().indexOf("init.s") + 6;
        assertEquals(java.util.List.of("model.init.scheme", "model.init.std", "model.init.scale"), names(ExperimentAssist.proposals(sweep, afterS)));
        String gridHover = ExperimentAssist.hover(sweep, sweep.get().indexOf("model.residual"));
        assertTrue(gridHover != null && gridHover.contains("Default: true"), gridHover);

        // the position schemes: keys, values and the entries of a per-block schedule, each with its doc
        org.eclipse.jface.text.Document schemes = new org.eclipse.jface.text.Document(
                "schema: nopelab/experiment/1\nmodel:\n  pe: \n  layers_\n  layers_pe: [rope, rope, rope, \n  nope_every: 4\n");
        int afterPe = schemes.get().indexOf("pe: ") + 4;
        assertEquals(java.util.List.of("none", "learned", "sinusoidal", "rope", "alibi"), names(ExperimentAssist.proposals(schemes, afterPe)));
        int afterLayers = schemes.get().indexOf("layers_\n") + 7;
        assertEquals(java.util.List.of("layers_pe", "layers_attention"), names(ExperimentAssist.proposals(schemes, afterLayers)));
        int inList = schemes.get().indexOf("rope, \n") + 6;
        ICompletionProposal[] entries = ExperimentAssist.proposals(schemes, inList);
        assertEquals(java.util.List.of("none", "rope", "alibi"), names(entries));
        assertTrue(entries[0].getAdditionalProposalInfo().startsWith("Per-block scheme"), entries[0].getAdditionalProposalInfo());
        String everyHover = ExperimentAssist.hover(schemes, schemes.get().indexOf("nope_every"));
        assertTrue(everyHover.startsWith("Shorthand for a schedule") && everyHover.contains("Range: 1 .. 48"), everyHover);
    }

    private static java.util.List<String> names(ICompletionProposal[] proposals) {
        return Arrays.stream(proposals).map(ICompletionProposal::getDisplayString).toList();
    }

    /** The file's problem markers once validation has produced the expected count . */
    private static IMarker[] markers(ExperimentEditor editor, int expected) throws CoreException {
        Ui.waitFor(expected + " problem markers", () -> count(editor) == expected);
        return editor.file().findMarkers(ExperimentMarkers.TYPE, false, IResource.DEPTH_ZERO);
    }

    private static int count(ExperimentEditor editor) {
        try {
            return editor.file().findMarkers(ExperimentMarkers.TYPE, false, IResource.DEPTH_ZERO).length;
        } catch (CoreException e) {
            return -1;
        }
    }
}
