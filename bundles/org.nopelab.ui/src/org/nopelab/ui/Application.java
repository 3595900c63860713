package org.nopelab.ui;

import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.nopelab.ui.editor.Experiments;
import org.osgi.framework.Bundle;
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
                    configurer.setSaveAndRestore(true);
                    IDE.registerAdapters(); // labels and icons of workspace files in the Problems view and Project Explorer
                    // the project icon is declared by the IDE's own advisor, which an RCP product does not use
                    Bundle ide = Platform.getBundle("org.eclipse.ui.ide");
                    configurer.declareImage(IDE.SharedImages.IMG_OBJ_PROJECT,
                            ImageDescriptor.createFromURL(FileLocator.find(ide, IPath.fromOSString("icons/full/obj16/prj_obj.png"))), true);
                    configurer.declareImage(IDE.SharedImages.IMG_OBJ_PROJECT_CLOSED,
                            ImageDescriptor.createFromURL(FileLocator.find(ide, IPath.fromOSString("icons/full/obj16/cprj_obj.png"))), true);
                }

                @Override
                public void postStartup() {
                    try {
                        Experiments.project(); // the navigator shows examples and results from the first start
                    } catch (CoreException e) {
                        Platform.getLog(Application.class).log(e.getStatus());
                    }
                }

                @Override
                public IAdaptable getDefaultPageInput() {
                    return ResourcesPlugin.getWorkspace().getRoot(); // what the Project Explorer shows
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
                        public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer bars) {
                            return new MenusAndToolbar(bars);
                        }

                        @Override
                        public void preWindowOpen() {
                            // status line with the progress indicator: running jobs show there
                            configurer.setShowStatusLine(true);
                            configurer.setShowProgressIndicator(true);
                            configurer.setShowCoolBar(true);
                            configurer.setShowMenuBar(true);
                            configurer.setInitialSize(new org.eclipse.swt.graphics.Point(1400, 900));
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
