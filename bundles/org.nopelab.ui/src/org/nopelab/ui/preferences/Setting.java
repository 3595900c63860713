package org.nopelab.ui.preferences;

import java.nio.file.Path;

import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/**
 * The workbench's preferences, each with its key, default and one-line documentation (the preference page
 * shows the docs). Stored in the instance scope of org.nopelab.ui.
 */
public enum Setting {
    RESULTS("results", "results",
            "Result location: runs write their result folders here; relative paths are taken from the directory the workbench was started in (as for the headless runs). -Dnopelab.results overrides it."),
    THREADS("threads", "0",
            "Engine threads for runs started in the workbench; 0 keeps what the launcher set (OMP_NUM_THREADS, 1 by default, which is fastest for small models)."),
    COLOUR_MAP("colourMap", "viridis", "Colour map of the similarity heatmaps (differences always use a diverging blue-white-red map).");

    public static final String NODE = "org.nopelab.ui";

    public final String key;
    public final String defaultValue;
    public final String doc;

    Setting(String key, String defaultValue, String doc) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String value() {
        return InstanceScope.INSTANCE.getNode(NODE).get(key, DefaultScope.INSTANCE.getNode(NODE).get(key, defaultValue));
    }

    /** Where runs write their result folders: -Dnopelab.results, else the preference. */
    public static Path resultsDir() {
        String property = System.getProperty("nopelab.results");
        return Path.of(property != null && !property.isBlank() ? property : RESULTS.value()).toAbsolutePath().normalize();
    }

    /** Engine threads, or 0 to keep the launcher's choice. */
    public static int threads() {
        try {
            return Math.max(0, Integer.parseInt(THREADS.value().trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Registered in plugin.xml: writes every default into the default scope. */
    public static final class Initializer extends AbstractPreferenceInitializer {
        @Override
        public void initializeDefaultPreferences() {
            IEclipsePreferences defaults = DefaultScope.INSTANCE.getNode(NODE);
            for (Setting s : values()) defaults.put(s.key, s.defaultValue);
        }
    }
}
