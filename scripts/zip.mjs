// A small deterministic zip writer: the same files give the same bytes on every run and machine
// with the same Node.js (entries in byte order of their paths, one fixed time, fixed attributes,
// no extra fields), so a store package can be rebuilt and compared byte for byte.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/** Every file under `dir`, as paths relative to it with `/`, in byte order. */
export function filesUnder(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return filesUnder(dir, path);
      return entry.isFile() ? [path] : [];
    })
    .sort(byteOrder);
}

export const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** MS-DOS date and time (what zip stores) of a Unix time, read in UTC, so no time zone leaks in. */
function dosTime(seconds) {
  const d = new Date(Math.max(seconds, 315532800) * 1000); // zip cannot say earlier than 1980
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * A zip of `entries` ([{name, data}]) with every file dated `epochSeconds`.
 * @returns {Buffer}
 */
export function zip(entries, epochSeconds) {
  const { time, date } = dosTime(epochSeconds);
  const local = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of [...entries].sort((a, b) => byteOrder(a.name, b.name))) {
    const path = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length < data.length ? deflated : data;
    const method = stored === deflated ? 8 : 0;
    const fields = (header, at) => {
      header.writeUInt16LE(20, at); // version needed: 2.0
      header.writeUInt16LE(0x0800, at + 2); // the name is UTF-8
      header.writeUInt16LE(method, at + 4);
      header.writeUInt16LE(time, at + 6);
      header.writeUInt16LE(date, at + 8);
      header.writeUInt32LE(crc32(data), at + 10);
      header.writeUInt32LE(stored.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(path.length, at + 22);
    };
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    fields(head, 4);
    local.push(head, path, stored);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, zip 2.0
    fields(entry, 6);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a plain file, rw-r--r--
    entry.writeUInt32LE(offset, 42);
    central.push(entry, path);
    offset += head.length + path.length + stored.length;
  }
  const size = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

/** A zip of every file under `dir`. */
export function zipDirectory(dir, epochSeconds) {
  return zip(filesUnder(dir).map((name) => ({ name, data: readFileSync(join(dir, name)) })), epochSeconds);
}
