/** Hands text made in the browser to the person as a file download. */
export function downloadFile(fileName: string, content: string, type: string): void {
  // The byte order mark tells Excel the file is UTF-8, so names with accents survive.
  const blob = new Blob([type.startsWith('text/csv') ? '\uFEFF' : '', content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the download has taken the blob by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
