import { intField, json, type Action } from './common.js';

export const listLogStores: Action = async (hub, req) => {
  const project = hub.project(req.project);
  const offset = intField(req.query.get('offset'), 'offset', 0, 1e9, 0);
  const size = intField(req.query.get('size'), 'size', 0, 1000, 500);
  const filter = req.query.get('logstoreName') ?? '';
  const all = Object.keys(project.logstores)
    .filter((n) => n.includes(filter))
    .sort();
  const page = all.slice(offset, offset + size);
  return json({ count: page.length, total: all.length, logstores: page });
};
