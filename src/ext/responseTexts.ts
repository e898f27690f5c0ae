// The rendered Send Request answers (up to 512 KB each) behind the read-only response documents. A text is kept
// while VS Code may still ask for it: it is dropped when VS Code closes its document, and beyond the newest `max`
// only the texts of documents still open are kept. No `vscode` here: the caller says what is open.

export class ResponseTexts {
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly max: number,
    /** Whether VS Code has the document of this key (a URI string) open. */
    private readonly isOpen: (key: string) => boolean,
  ) {}

  get(key: string): string | undefined {
    return this.texts.get(key);
  }

  has(key: string): boolean {
    return this.texts.has(key);
  }

  get size(): number {
    return this.texts.size;
  }

  /** Keeps a new answer (its document is about to open); beyond `max`, the oldest texts of closed documents go. */
  add(key: string, text: string): void {
    this.texts.delete(key);
    this.texts.set(key, text);
    for (const k of this.texts.keys()) {
      if (this.texts.size <= this.max) break;
      if (k !== key && !this.isOpen(k)) this.texts.delete(k);
    }
  }

  /**
   * VS Code closed the document of `key`. A language change is reported as a close and an open of the same
   * document, which is still open then: it keeps its text.
   */
  closed(key: string): void {
    if (!this.isOpen(key)) this.texts.delete(key);
  }

  clear(): void {
    this.texts.clear();
  }
}
