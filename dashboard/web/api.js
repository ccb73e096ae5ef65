// The page's only way to the cloud: the dashboard's backend (/api/...). Writes carry the
// session's CSRF token; errors become ApiError with the service's own message.
let csrfToken = '';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function setCsrfToken(token) { csrfToken = token || ''; }

// The message in any OpenStack error body: {"error": {"message"}}, {"itemNotFound":
// {"message"}}, {"NeutronError": {"message"}}, {"badRequest": {...}}, or plain text.
export function errorMessage(status, text) {
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object') {
      if (typeof body.message === 'string') return body.message;
      for (const value of Object.values(body)) {
        if (value && typeof value === 'object' && typeof value.message === 'string') return value.message;
      }
    }
  } catch (e) { /* not JSON */ }
  const plain = (text || '').replace(/<[^>]*>/g, ' ').trim();
  return plain ? `HTTP ${status}: ${plain.slice(0, 300)}` : `HTTP ${status}`;
}

export async function request(method, url, body, headers = {}) {
  return (await requestFull(method, url, body, headers)).data;
}

// request() with the answer's headers too: {data, headers}.
export async function requestFull(method, url, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') init.headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    init.headers['Content-Type'] = headers['Content-Type'] || 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) {
    const err = new ApiError(res.status, errorMessage(res.status, text));
    if (res.status === 401 && url.startsWith('/api/session')) err.sessionEnded = true;
    throw err;
  }
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  return { data, headers: res.headers };
}

const NOVA_VERSION = { 'X-OpenStack-Nova-API-Version': '2.15' };

// A call to one service of the catalog: svc('compute', 'GET', '/servers/detail').
export function svc(type, method, path, body, extraHeaders = {}) {
  const headers = type === 'compute' ? { ...NOVA_VERSION, ...extraHeaders } : extraHeaders;
  return request(method, `/api/svc/${type}${path}`, body, headers);
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Uploads `file` with PUT, reporting progress (XHR: fetch has no upload progress).
export function upload(type, path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/svc/${type}${path}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new ApiError(xhr.status, errorMessage(xhr.status, xhr.responseText)));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'The upload was interrupted.')));
    xhr.send(file);
  });
}
