package org.nopelab.ui.internal;

import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.MessageConsole;
import org.eclipse.ui.console.MessageConsoleStream;

/** The "NoPE Lab runs" console: every run's progress lines, as the headless launcher prints them. */
public final class RunConsole {
    public static final String NAME = "NoPE Lab runs";
    private static MessageConsole console;

    private RunConsole() {}

    public static synchronized MessageConsole get() {
        if (console == null) {
            console = new MessageConsole(NAME, null);
            ConsolePlugin.getDefault().getConsoleManager().addConsoles(new IConsole[] {console});
        }
        return console;
    }

    public static MessageConsoleStream stream() {
        return get().newMessageStream();
    }
}
