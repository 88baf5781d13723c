/**
 * Media bytes on disk under DATA_DIR/media (never a public path: agents get them through an
 * authenticated route). Files are named by media id, written to a temp name and renamed, so a
 * crash never leaves half a file under a real name.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export class MediaStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Relative storage path for a media id: spread over subfolders by the id's random tail. */
  private relPath(id: string): string {
    if (!/^[0-9A-Z]{26}$/.test(id)) throw new Error('invalid media id');
    return path.join(id.slice(-2).toLowerCase(), id);
  }

  resolve(storagePath: string): string {
    const abs = path.resolve(this.root, storagePath);
    if (!abs.startsWith(this.root + path.sep)) throw new Error('storage path outside the media folder');
    return abs;
  }

  async write(id: string, data: Buffer): Promise<string> {
    const rel = this.relPath(id);
    const abs = this.resolve(rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, data, { mode: 0o600 });
    await fs.rename(tmp, abs);
    return rel;
  }

  /** Where multipart uploads land first (same disk, so moving them in is a rename). */
  get incomingDir(): string {
    return path.join(this.root, '.incoming');
  }

  /** Move a finished upload into place under the media id. */
  async importFile(id: string, srcPath: string): Promise<string> {
    const rel = this.relPath(id);
    const abs = this.resolve(rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    try {
      await fs.rename(srcPath, abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await fs.copyFile(srcPath, abs);
      await fs.rm(srcPath, { force: true });
    }
    await fs.chmod(abs, 0o600);
    return rel;
  }

  async read(storagePath: string): Promise<Buffer> {
    return fs.readFile(this.resolve(storagePath));
  }

  stream(storagePath: string): ReadStream {
    return createReadStream(this.resolve(storagePath));
  }

  async exists(storagePath: string): Promise<boolean> {
    try {
      await fs.access(this.resolve(storagePath));
      return true;
    } catch {
      return false;
    }
  }
}
