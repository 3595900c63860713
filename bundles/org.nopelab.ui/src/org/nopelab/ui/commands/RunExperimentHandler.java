package org.nopelab.ui.commands;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.nopelab.ui.internal.Runs;

/**
 * Run Experiment (Ctrl+F11): the experiment in the active experiment editor (saved first, as Eclipse's launch
 * does), else the experiment file selected in the navigator, else one chosen in a file dialog.
 */
public final class RunExperimentHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        Path file = Selections.experimentFile(event, "Run a NoPE Lab experiment");
        return file == null ? null : Runs.start(file);
    }
}
