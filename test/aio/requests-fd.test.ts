// open, close, seek, read, write, sendfile, readahead against real files.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { aio } from '../../src/aio/index.js';
import { cbFails, cbOk, currentUmask, rejectsWith } from '../helpers/req.js';
import { makeTree, removeTree } from '../helpers/tree.js';

const root = makeTree({ 'data.txt': '0123456789abcdef', 'small.txt': 'hello' });
const P = (n: string) => `${root}/${n}`;
afterAll(() => removeTree(root));

describe('open / close', () => {
  it('opens with numeric flags and resolves to an fd of that file', async () => {
    const fd = await aio.open(P('data.txt'), fs.constants.O_RDONLY);
    expect(Number.isInteger(fd) && fd >= 0).toBe(true);
    expect(fs.fstatSync(fd).ino).toBe(fs.statSync(P('data.txt')).ino);
    // O_CLOEXEC is always added, but the access mode is what was asked.
    expect(() => fs.writeSync(fd, 'x')).toThrow(/EBADF/);
    await aio.close(fd);
  });

  it("'w' creates and truncates, 'r' reads, 'a' appends, 'r+' writes in place", async () => {
    const p = P('modes.txt');
    fs.writeFileSync(p, 'old contents');
    let fd = await aio.open(p, 'w');
    expect(fs.statSync(p).size).toBe(0);
    await aio.write(fd, Buffer.from('abc'), null);
    await aio.close(fd);
    fd = await aio.open(p, 'a');
    await aio.write(fd, Buffer.from('XYZ'), null);
    await aio.close(fd);
    fd = await aio.open(p, 'r+');
    await aio.write(fd, Buffer.from('B'), 1);
    await aio.close(fd);
    fd = await aio.open(p, 'r');
    const buf = Buffer.alloc(16);
    expect(await aio.read(fd, buf, 0)).toBe(6);
    expect(buf.subarray(0, 6).toString()).toBe('aBcXYZ');
    await aio.close(fd);
  });

  it("'wx' creates with the given mode (minus umask) and fails EEXIST when the file exists", async () => {
    const p = P('excl.txt');
    const fd = await aio.open(p, 'wx', 0o751);
    await aio.close(fd);
    expect(fs.statSync(p).mode & 0o7777).toBe(0o751 & ~currentUmask());
    await rejectsWith(aio.open(p, 'wx'), { code: 'EEXIST', syscall: 'open', path: p });
  });

  it("'w+' and 'a+' open for reading too", async () => {
    const p = P('plus.txt');
    let fd = await aio.open(p, 'w+');
    await aio.write(fd, Buffer.from('12345'), 0);
    const b = Buffer.alloc(5);
    expect(await aio.read(fd, b, 0)).toBe(5);
    expect(b.toString()).toBe('12345');
    await aio.close(fd);
    fd = await aio.open(p, 'a+');
    await aio.write(fd, Buffer.from('6'), null);
    expect(await aio.read(fd, b, 2)).toBe(4);
    expect(b.subarray(0, 4).toString()).toBe('3456');
    await aio.close(fd);
  });

  it('callback form: open then close, never synchronously', async () => {
    const fd = await cbOk<number>((cb) => aio.open(P('small.txt'), 'r', 0, cb));
    expect(fs.fstatSync(fd).size).toBe(5);
    const r = await cbOk<void>((cb) => aio.close(fd, cb));
    expect(r).toBeUndefined();
    expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
  });

  it('callback form: open of a missing file gives ENOENT naming the path', async () => {
    await cbFails((cb) => aio.open(P('missing'), 'r', 0, cb), { code: 'ENOENT', syscall: 'open', path: P('missing') });
  });
});

describe('seek', () => {
  it('SET, CUR and END resolve to the new offset, and reads follow it', async () => {
    const fd = await aio.open(P('data.txt'));
    expect(await aio.seek(fd, 4, 0)).toBe(4);
    expect(await aio.seek(fd, 3, 1)).toBe(7);
    const b = Buffer.alloc(2);
    expect(await aio.read(fd, b, null)).toBe(2);
    expect(b.toString()).toBe('78');
    expect(await aio.seek(fd, -2, 2)).toBe(14);
    expect(await aio.read(fd, b, null)).toBe(2);
    expect(b.toString()).toBe('ef');
    expect(await cbOk<number>((cb) => aio.seek(fd, 0, 1, cb))).toBe(16);
    await rejectsWith(aio.seek(fd, -100, 0), { code: 'EINVAL', syscall: 'seek' });
    await aio.close(fd);
  });
});

describe('read / write', () => {
  it('reads at a position without moving the offset; null reads from the offset and advances it', async () => {
    const fd = await aio.open(P('data.txt'));
    const b = Buffer.alloc(4);
    expect(await aio.read(fd, b, 10)).toBe(4);
    expect(b.toString()).toBe('abcd');
    expect(await aio.read(fd, b, null)).toBe(4);
    expect(b.toString()).toBe('0123');
    expect(await aio.read(fd, b)).toBe(4);
    expect(b.toString()).toBe('4567');
    expect(await aio.read(fd, b, 100)).toBe(0); // past EOF
    await aio.close(fd);
  });

  it('reads into a subarray only, at its offset within the parent buffer', async () => {
    const fd = await aio.open(P('data.txt'));
    const parent = Buffer.alloc(10, 0x2e);
    expect(await aio.read(fd, parent.subarray(3, 6), 0)).toBe(3);
    expect(parent.toString()).toBe('...012....');
    const u8 = new Uint8Array(8);
    expect(await aio.read(fd, u8.subarray(6), 14)).toBe(2);
    expect(Buffer.from(u8).toString('latin1')).toBe('\0\0\0\0\0\0ef');
    await aio.close(fd);
  });

  it('zero-length reads and writes resolve to 0 and change nothing', async () => {
    const p = P('zero.txt');
    fs.writeFileSync(p, 'keep');
    const fd = await aio.open(p, 'r+');
    expect(await aio.read(fd, Buffer.alloc(0), 0)).toBe(0);
    expect(await aio.write(fd, Buffer.alloc(0), 0)).toBe(0);
    expect(await aio.write(fd, Buffer.from('abc').subarray(3), null)).toBe(0);
    await aio.close(fd);
    expect(fs.readFileSync(p, 'utf8')).toBe('keep');
  });

  it('writes at positions (leaving a hole) and at the current offset', async () => {
    const p = P('w.bin');
    const fd = await aio.open(p, 'w+');
    expect(await aio.write(fd, Buffer.from('head'), null)).toBe(4);
    expect(await aio.write(fd, Buffer.from('tail'), 8)).toBe(4);
    expect(await aio.write(fd, Buffer.from('++'), null)).toBe(2); // offset was 4
    const part = Buffer.from('--XY--').subarray(2, 4);
    expect(await cbOk<number>((cb) => aio.write(fd, part, 6, cb))).toBe(2);
    await aio.close(fd);
    expect(fs.readFileSync(p)).toEqual(Buffer.from('head++XYtail'));
  });

  it('offsets beyond 4 GiB (sparse file): write, read, seek, fstat keep 64 bits', async () => {
    const p = P('sparse.bin');
    const fd = await aio.open(p, 'w+');
    const far = 2 ** 32 + 10;
    expect(await aio.write(fd, Buffer.from('Q'), far)).toBe(1);
    expect((await aio.fstat(fd)).size).toBe(far + 1);
    expect(await aio.seek(fd, 2 ** 33, 0)).toBe(2 ** 33);
    expect(await aio.seek(fd, -1, 2)).toBe(far);
    const b = Buffer.alloc(2);
    expect(await aio.read(fd, b, null)).toBe(1);
    expect(b[0]).toBe(0x51);
    await aio.ftruncate(fd, 2 ** 33 + 3);
    expect(fs.statSync(p).size).toBe(2 ** 33 + 3);
    expect(await aio.seek(fd, 0, 3)).toBe(2 ** 32); // SEEK_DATA: the block holding 'Q'
    await aio.close(fd);
    await aio.truncate(p, 0);
  });

  it('callback form: read resolves the count and fills the buffer', async () => {
    const fd = await aio.open(P('small.txt'));
    const b = Buffer.alloc(5);
    expect(await cbOk<number>((cb) => aio.read(fd, b, 0, cb))).toBe(5);
    expect(b.toString()).toBe('hello');
    await aio.close(fd);
  });

  it('writing to a read-only fd fails EBADF (both forms)', async () => {
    const fd = await aio.open(P('small.txt'), 'r');
    await rejectsWith(aio.write(fd, Buffer.from('x'), 0), { code: 'EBADF', syscall: 'write' });
    await cbFails((cb) => aio.write(fd, Buffer.from('x'), 0, cb), { code: 'EBADF', syscall: 'write' });
    await aio.close(fd);
    expect(fs.readFileSync(P('small.txt'), 'utf8')).toBe('hello');
  });
});

describe('sendfile / readahead', () => {
  it('sendfile copies length bytes from inOffset and resolves the count', async () => {
    const inFd = await aio.open(P('data.txt'));
    const out = P('sent.txt');
    const outFd = await aio.open(out, 'w');
    expect(await aio.sendfile(outFd, inFd, 2, 5)).toBe(5);
    expect(await cbOk<number>((cb) => aio.sendfile(outFd, inFd, 10, 100, cb))).toBe(6); // short at EOF
    await aio.close(outFd);
    await aio.close(inFd);
    expect(fs.readFileSync(out, 'utf8')).toBe('23456abcdef');
  });

  it('sendfile into a read-only fd fails EBADF', async () => {
    const inFd = await aio.open(P('data.txt'));
    const outFd = await aio.open(P('small.txt'), 'r');
    await rejectsWith(aio.sendfile(outFd, inFd, 0, 4), { code: 'EBADF', syscall: 'sendfile' });
    await aio.close(outFd);
    await aio.close(inFd);
  });

  it('readahead resolves undefined on a file and fails EINVAL on a pipe', async () => {
    const fd = await aio.open(P('data.txt'));
    expect(await aio.readahead(fd, 0, 4096)).toBeUndefined();
    expect(await cbOk<void>((cb) => aio.readahead(fd, 0, 16, cb))).toBeUndefined();
    await aio.close(fd);
    const fifo = P('ra.fifo');
    await aio.mknod(fifo, fs.constants.S_IFIFO | 0o644);
    const pfd = await aio.open(fifo, fs.constants.O_RDWR);
    await rejectsWith(aio.readahead(pfd, 0, 16), { code: 'EINVAL', syscall: 'readahead' });
    await aio.close(pfd);
  });
});
