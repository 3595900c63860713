package org.nopelab.ui;

import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.ICoolBarManager;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.action.ToolBarManager;
import org.eclipse.swt.SWT;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.actions.ContributionItemFactory;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;

/**
 * The platform's standard menus (File, Edit, Run, Window, Help) and the main toolbar. NoPE Lab's own commands
 * (Open Experiment, Run Experiment, Open Result, Experiment File Reference) come from plugin.xml menu
 * contributions into the "additions" groups placed here.
 */
final class MenusAndToolbar extends ActionBarAdvisor {
    static final String RUN_MENU = "org.nopelab.ui.menu.run";

    MenusAndToolbar(IActionBarConfigurer configurer) {
        super(configurer);
    }

    private ActionFactory.IWorkbenchAction make(ActionFactory factory, IWorkbenchWindow window) {
        ActionFactory.IWorkbenchAction a = factory.create(window);
        register(a);
        return a;
    }

    private void add(MenuManager menu, IWorkbenchWindow window, ActionFactory... factories) {
        for (ActionFactory f : factories) menu.add(make(f, window));
    }

    @Override
    protected void fillMenuBar(IMenuManager bar) {
        IWorkbenchWindow w = getActionBarConfigurer().getWindowConfigurer().getWindow();
        MenuManager file = new MenuManager("&File", IWorkbenchActionConstants.M_FILE);
        file.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        file.add(new Separator());
        add(file, w, ActionFactory.SAVE, ActionFactory.SAVE_ALL, ActionFactory.CLOSE, ActionFactory.CLOSE_ALL);
        file.add(new Separator());
        add(file, w, ActionFactory.QUIT);

        MenuManager edit = new MenuManager("&Edit", IWorkbenchActionConstants.M_EDIT);
        add(edit, w, ActionFactory.UNDO, ActionFactory.REDO);
        edit.add(new Separator());
        add(edit, w, ActionFactory.CUT, ActionFactory.COPY, ActionFactory.PASTE, ActionFactory.SELECT_ALL);
        edit.add(new Separator());
        add(edit, w, ActionFactory.FIND);
        edit.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));

        MenuManager run = new MenuManager("&Run", RUN_MENU);
        run.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));

        MenuManager window = new MenuManager("&Window", IWorkbenchActionConstants.M_WINDOW);
        MenuManager views = new MenuManager("Show &View", "showView");
        views.add(ContributionItemFactory.VIEWS_SHORTLIST.create(w));
        window.add(views);
        window.add(make(ActionFactory.RESET_PERSPECTIVE, w));
        window.add(new Separator());
        window.add(make(ActionFactory.PREFERENCES, w));

        MenuManager help = new MenuManager("&Help", IWorkbenchActionConstants.M_HELP);
        help.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        help.add(new Separator());
        help.add(make(ActionFactory.ABOUT, w));

        for (MenuManager m : new MenuManager[] {file, edit, run, window, help}) bar.add(m);
    }

    @Override
    protected void fillCoolBar(ICoolBarManager coolBar) {
        ToolBarManager main = new ToolBarManager(SWT.FLAT | SWT.RIGHT);
        main.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        coolBar.add(new org.eclipse.jface.action.ToolBarContributionItem(main, "org.nopelab.ui.toolbar"));
    }
}
