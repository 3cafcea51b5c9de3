// Where a command writes (compare --out, merge --out, mock --inventory, run --write-baseline and --bundle):
// checked before anything is read, written or started, so a path that is a
// file (or a directory), lies under a file, in no directory, or cannot be
// written in is one line naming the flag, not a raw EEXIST, ENOTDIR, ENOENT
// or EACCES halfway through.
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, isAbsolute } from "node:path";
import { UsageError } from "./exit-codes.ts";

/** The nearest existing directory at or above `dir` (symbolic links resolved), and what is left below it. */
function existingAncestor(dir: string): { real: string; rest: string[] } {
  const rest: string[] = [];
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) {
    rest.unshift(basename(probe));
    probe = dirname(probe);
  }
  return { real: realpathSync(probe), rest };
}

/** `path` with every symbolic link of the part that exists resolved (the rest as given). */
export function realPath(path: string): string {
  const { real, rest } = existingAncestor(resolve(path));
  return join(real, ...rest);
}

/** Whether `child` is `parent` or lies below it (both as real paths). */
export function isWithin(child: string, parent: string): boolean {
  const r = relative(realPath(parent), realPath(child));
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

/** `out` as an absolute path once it is known that a directory can be there (made or written in); else one line naming `flag`. */
export function checkOutDir(out: string, flag = "--out"): string {
  const dir = resolve(out);
  const { real, rest } = existingAncestor(dir);
  if (!statSync(real).isDirectory()) {
    throw new UsageError(rest.length ? `${flag} ${out} cannot be made: ${real} is a file, not a directory` : `${flag} ${out} is a file, not a directory: give a directory`);
  }
  try {
    accessSync(real, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${flag} ${out}: this user may not write in ${real}`);
  }
  return dir;
}

/** `file` as an absolute path once it is known that a file can be written there; else one line naming `flag`. */
export function checkOutFile(file: string, flag: string): string {
  const path = resolve(file);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UsageError(`${flag} ${file} is a directory: give a file name`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new UsageError(`${flag} ${file}: this user may not write it`);
    }
    return path;
  }
  const parent = dirname(path);
  if (!existsSync(parent)) throw new UsageError(`${flag} ${file} cannot be written: the directory ${parent} does not exist`);
  if (!statSync(parent).isDirectory()) throw new UsageError(`${flag} ${file} cannot be written: ${parent} is a file, not a directory`);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: this user may not write in ${parent}`);
  }
  return path;
}
