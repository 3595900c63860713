package org.nopelab.ui;

import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

/** The workbench application (org.nopelab.ui.workbench). */
public final class Application implements IApplication {
    @Override
    public Object start(IApplicationContext context) {
        Display display = PlatformUI.createDisplay();
        try {
            int code = PlatformUI.createAndRunWorkbench(display, new WorkbenchAdvisor() {
                @Override
                public String getInitialWindowPerspectiveId() {
                    return Perspective.ID;
                }

                @Override
                public void initialize(org.eclipse.ui.application.IWorkbenchConfigurer configurer) {
                    IDE.registerAdapters(); // labels and icons of workspace files in the Problems view
                }

                @Override
                public void postShutdown() {
                    try {
                        ResourcesPlugin.getWorkspace().save(true, null);
                    } catch (CoreException e) {
                        // nothing is lost: experiment files live outside, linked into the workspace
                    }
                }

                @Override
                public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
                    return new WorkbenchWindowAdvisor(configurer) {
                        @Override
                        public void preWindowOpen() {
                            // status line with the progress indicator: running jobs show there
                            configurer.setShowStatusLine(true);
                            configurer.setShowProgressIndicator(true);
                            configurer.setTitle("NoPE Lab");
                        }
                    };
                }
            });
            return code == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
        } finally {
            display.dispose();
        }
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) return;
        IWorkbench workbench = PlatformUI.getWorkbench();
        workbench.getDisplay().syncExec(() -> {
            if (!workbench.getDisplay().isDisposed()) workbench.close();
        });
    }
}
