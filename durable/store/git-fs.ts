// The fs.promises interface isomorphic-git expects, over the object store. Loose-object paths
// (objects/xx/…) are served from the object index, so isomorphic-git reads any object with bounded
// memory; it sees no pack files. Other paths read as missing: isomorphic-git here only reads objects.
import { deflateSync } from "node:zlib";
import { typeName } from "../pack/types";
import type { ObjectStore } from "./objects";

export const GITDIR = "/repo.git";

function fsError(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

/** `ownPack` names a pack being pushed whose objects isomorphic-git may read too. */
export function gitFs(store: ObjectStore, ownPack: () => number | undefined) {
  const looseOid = (path: string): string | null => {
    const m = /\/objects\/([0-9a-f]{2})\/([0-9a-f]{38})$/.exec(path);
    return m ? m[1] + m[2] : null;
  };
  const promises = {
    async readFile(path: string): Promise<Uint8Array> {
      const oid = looseOid(path);
      const object = oid ? await store.read(oid, ownPack()) : null;
      if (!object) throw fsError("ENOENT", path);
      const header = new TextEncoder().encode(`${typeName(object.type)} ${object.data.length}\0`);
      const loose = new Uint8Array(header.length + object.data.length);
      loose.set(header);
      loose.set(object.data, header.length);
      return deflateSync(loose, { level: 1 });
    },
    async readdir(path: string): Promise<string[]> {
      if (path === `${GITDIR}/objects/pack` || path === `${GITDIR}/objects`) return [];
      throw fsError("ENOENT", path);
    },
    async stat(path: string) {
      if (path === GITDIR || path.endsWith("/objects") || path.endsWith("/objects/pack")) return statOf(true);
      const oid = looseOid(path);
      if (oid && store.has(oid, ownPack())) return statOf(false);
      throw fsError("ENOENT", path);
    },
    async lstat(path: string) {
      return promises.stat(path);
    },
    async writeFile(path: string): Promise<void> {
      throw fsError("EROFS", path);
    },
    async mkdir(path: string): Promise<void> {
      throw fsError("EROFS", path);
    },
    async unlink(path: string): Promise<void> {
      throw fsError("EROFS", path);
    },
    async rmdir(path: string): Promise<void> {
      throw fsError("EROFS", path);
    },
    async readlink(path: string): Promise<string> {
      throw fsError("ENOENT", path);
    },
    async symlink(_target: string, path: string): Promise<void> {
      throw fsError("EROFS", path);
    },
  };
  return { promises };
}

function statOf(directory: boolean) {
  return {
    type: directory ? "dir" : "file",
    mode: directory ? 0o40000 : 0o100644,
    size: 0,
    ino: 0,
    mtimeMs: 0,
    ctimeMs: 0,
    uid: 0,
    gid: 0,
    dev: 0,
    isFile: () => !directory,
    isDirectory: () => directory,
    isSymbolicLink: () => false,
  };
}
