/**
 * Hands a blob to the browser as a download named `filename` (an anchor with `download`,
 * so the request already made with the user's token is not repeated).
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser a moment to start the download before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The last path segment: `prometheus/checkout-api.rules.yaml` → `checkout-api.rules.yaml`. */
export function baseName(filename: string): string {
  return filename.slice(filename.lastIndexOf('/') + 1);
}
