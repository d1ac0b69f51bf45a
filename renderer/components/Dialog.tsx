/** A modal dialog on the native <dialog> element: focus is trapped, the page behind is inert, Escape closes. */
import { useEffect, useRef, type ReactNode } from "react";

/** Props of {@link Dialog}. */
export interface DialogProps {
  open: boolean;
  onClose: () => void;
  /** Id of the element that names the dialog. */
  labelledBy: string;
  className?: string;
  children: ReactNode;
}

/** A modal dialog. */
export function Dialog({ open, onClose, labelledBy, className, children }: DialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (open && !d.open) {
      // jsdom has no showModal; a plain open dialog still works there.
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    } else if (!open && d.open) {
      if (typeof d.close === "function") d.close();
      else d.removeAttribute("open");
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ""}`}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        // Escape: let React state close it, so state and element never disagree.
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onClose();
        }
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
