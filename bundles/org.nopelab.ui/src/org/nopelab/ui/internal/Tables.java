package org.nopelab.ui.internal;

import java.util.function.Function;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;

/** Table columns of the views, one way. */
public final class Tables {
    private Tables() {}

    /** A text column showing text(row) for rows of type T. */
    @SuppressWarnings("unchecked")
    public static <T> TableViewerColumn column(TableViewer table, String title, int width, Function<T, String> text) {
        TableViewerColumn c = new TableViewerColumn(table, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((T) element);
            }
        });
        return c;
    }
}
