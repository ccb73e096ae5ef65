// Network topology: an SVG of the project's networks (vertical bars), routers and instances
// (boxes, one row each, a dot where a port joins a network). Drawn again, at most every
// 300 ms, when a port, floating IP, router or instance event arrives on the event stream.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { button, guarded, h, pageHeader } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
const NODE_W = 150;
const NET_X0 = 200;
const NET_DX = 130;
const ROW_H = 46;
const TOP = 48;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function short(text, n = 18) { return text.length > n ? `${text.slice(0, n - 1)}…` : text; }

// {networks, nodes: [{kind, id, name, networks: Set}]} from the APIs' lists.
export function model(networks, routers, ports, servers) {
  const nodes = [];
  for (const r of routers) {
    const nets = new Set(ports.filter((p) => p.device_id === r.id).map((p) => p.network_id));
    if (r.external_gateway_info && r.external_gateway_info.network_id) nets.add(r.external_gateway_info.network_id);
    nodes.push({ kind: 'router', id: r.id, name: r.name || r.id, status: r.status, networks: nets });
  }
  for (const v of servers) {
    const nets = new Set(ports.filter((p) => p.device_id === v.id).map((p) => p.network_id));
    nodes.push({ kind: 'instance', id: v.id, name: v.name || v.id, status: v.status, networks: nets });
  }
  return { networks, nodes };
}

export function draw({ networks, nodes }) {
  const width = NET_X0 + Math.max(1, networks.length) * NET_DX;
  const height = TOP + Math.max(1, nodes.length) * ROW_H + 10;
  const x = new Map(networks.map((n, i) => [n.id, NET_X0 + i * NET_DX + NET_DX / 2]));
  const svg = s('svg', { id: 'topology', role: 'img', width, height, viewBox: `0 0 ${width} ${height}`,
    'aria-labelledby': 'topology-title', class: 'topology' },
  s('title', { id: 'topology-title' }, t('topology')));
  for (const n of networks) {
    const cx = x.get(n.id);
    svg.append(s('g', { class: 'topo-network', 'data-id': n.id },
      s('title', {}, `${n.name || n.id} (${(n.subnets || []).length} ${t('subnet')})`),
      s('rect', { x: cx - 6, y: TOP - 8, width: 12, height: height - TOP, rx: 4,
        fill: n['router:external'] ? '#6c757d' : '#0d6efd' }),
      s('text', { x: cx, y: 18, 'text-anchor': 'middle', class: 'topo-label' }, short(n.name || n.id))));
  }
  nodes.forEach((node, j) => {
    const y = TOP + j * ROW_H;
    const joined = [...node.networks].filter((id) => x.has(id)).map((id) => x.get(id));
    const g = s('g', { class: `topo-node topo-${node.kind}`, 'data-id': node.id },
      s('title', {}, `${t(node.kind)}: ${node.name} · ${node.status || ''}`));
    if (joined.length) {
      g.append(s('line', { x1: 10 + NODE_W, y1: y + 15, x2: Math.max(...joined), y2: y + 15, stroke: '#495057', 'stroke-width': 2 }));
      for (const cx of joined) g.append(s('circle', { cx, cy: y + 15, r: 5, fill: '#198754' }));
    }
    g.append(s('rect', { x: 10, y, width: NODE_W, height: 30, rx: 6,
      fill: node.kind === 'router' ? '#fff3cd' : '#e7f1ff', stroke: '#495057' }),
    s('text', { x: 18, y: y + 20, class: 'topo-label' }, `${node.kind === 'router' ? '⇄' : '▣'} ${short(node.name)}`));
    svg.append(g);
  });
  return svg;
}

export async function render(app) {
  const box = h('div', { id: 'topology-box', class: 'overflow-auto' }, t('loading'));
  app.append(pageHeader(t('topology'), button(t('refresh'), () => load())), box);
  async function load() {
    const lists = await guarded(() => Promise.all([
      svc('network', 'GET', '/v2.0/networks').then((r) => r.networks),
      svc('network', 'GET', '/v2.0/routers').then((r) => r.routers),
      svc('network', 'GET', '/v2.0/ports').then((r) => r.ports),
      svc('compute', 'GET', '/servers').then((r) => r.servers),
    ]));
    if (!lists) return;
    const [networks, routers, ports, servers] = lists;
    networks.sort((a, b) => Number(!!b['router:external']) - Number(!!a['router:external']) || (a.name || '').localeCompare(b.name || ''));
    box.replaceChildren(draw(model(networks, routers, ports, servers)));
    window.__topologyDraws = (window.__topologyDraws || 0) + 1;
  }
  let timer = null;
  await load();
  return {
    onEvent(type) {
      if (!/^(port|router|floatingip|network|compute\.instance)\./.test(type) || timer) return;
      timer = setTimeout(() => { timer = null; load(); }, 300);
    },
    dispose() { clearTimeout(timer); },
  };
}
