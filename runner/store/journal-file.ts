import { open } from 'node:fs/promises';

// The few file operations a journal needs, so a test can put a failing disk under the store.
export interface JournalFile {
  /** Appends at the end of the file; may leave part of `text` behind when it fails. */
  append(text: string): Promise<void>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export type OpenJournalFile = (file: string) => Promise<JournalFile>;

export const openJournalFile: OpenJournalFile = async (file) => {
  const handle = await open(file, 'a', 0o600);
  return {
    append: (text) => handle.appendFile(text),
    datasync: () => handle.datasync(),
    truncate: (length) => handle.truncate(length),
    close: () => handle.close(),
  };
};
