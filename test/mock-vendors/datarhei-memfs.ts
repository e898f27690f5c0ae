// The datarhei Core in-memory filesystem API, `/api/v3/fs/mem/{path}` (GET, PUT, DELETE), behind the same Bearer
// check as the rest of /api/v3 (datarhei.ts calls it after the token check). Real Core v16 has it: files are stored
// as the bytes that came and read back unchanged, with a Content-Type by the file's extension (Go's mime table).
// Chosen here (not captured from a real server): the status and body of each answer (PUT: 201 with the path as a JSON
// string when new, 204 when replaced; DELETE: 200 "OK" as text; a missing file: 404 JSON), the short extension table.
import { goJsonText } from './datarhei-wire';
import type { MockReply, MockRequest } from './types';

const PREFIX = '/api/v3/fs/mem/';

/** Go's mime.TypeByExtension for the extensions tests use; anything else is application/octet-stream. */
const TYPES: Record<string, string> = {
  png: 'image/png',
  gz: 'application/gzip',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
};

function typeOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) ?? 'application/octet-stream';
}

/** The answer of a memfs route, or null when the request is not one (method or path). */
export function memfsRoute(files: Map<string, Buffer>, req: MockRequest, date: string): MockReply | null {
  if (!req.path.startsWith(PREFIX) || req.path.length === PREFIX.length) return null;
  const name = `/${req.path.slice(PREFIX.length)}`;
  const method = req.method.toUpperCase();
  const text = (status: number, body: string, type: string): MockReply => ({ status, headers: { 'Content-Type': type, Vary: 'Origin', Date: date }, body });
  if (method === 'GET') {
    const file = files.get(name);
    if (!file) return text(404, goJsonText({ code: 404, message: 'File not found', details: [name] }), 'application/json');
    return { status: 200, headers: { 'Content-Type': typeOf(name), Vary: 'Origin', Date: date, 'Content-Length': String(file.length) }, body: file };
  }
  if (method === 'PUT') {
    const created = !files.has(name);
    files.set(name, Buffer.from(req.bytes ?? Buffer.from(req.body, 'utf8')));
    return created ? text(201, goJsonText(name), 'application/json') : { status: 204, headers: { Vary: 'Origin', Date: date } };
  }
  if (method === 'DELETE') {
    if (!files.delete(name)) return text(404, goJsonText({ code: 404, message: 'File not found', details: [name] }), 'application/json');
    return text(200, 'OK', 'text/plain; charset=UTF-8');
  }
  return null;
}
