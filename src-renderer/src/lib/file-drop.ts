// Files dragged onto the conversation: a Svelte action that tells when files are over it (to show where
// they will go) and hands over what is dropped. Text or links dragged from elsewhere are left to the
// browser. Counting enters and leaves, because dragging over a child element leaves the parent.

export interface FileDropOptions {
  /** False where nothing can be attached (a public room not joined): the browser's default stays. */
  enabled: boolean;
  onFiles(files: File[]): void;
  onActive(active: boolean): void;
}

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function fileDrop(node: HTMLElement, initial: FileDropOptions) {
  let options = initial;
  let depth = 0;
  const setActive = (active: boolean) => options.onActive(active);

  const enter = (event: DragEvent) => {
    if (!options.enabled || !carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    setActive(true);
  };
  const over = (event: DragEvent) => {
    if (!options.enabled || !carriesFiles(event)) return;
    // Without this the browser would open the file in place of the app.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const leave = (event: DragEvent) => {
    if (!options.enabled || !carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) setActive(false);
  };
  const drop = (event: DragEvent) => {
    if (!options.enabled || !carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    setActive(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) options.onFiles(files);
  };

  node.addEventListener('dragenter', enter);
  node.addEventListener('dragover', over);
  node.addEventListener('dragleave', leave);
  node.addEventListener('drop', drop);
  return {
    update(next: FileDropOptions) {
      options = next;
      if (!next.enabled && depth > 0) {
        depth = 0;
        setActive(false);
      }
    },
    destroy() {
      node.removeEventListener('dragenter', enter);
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
    },
  };
}
