import { projectView } from './getProject.js';
import { intField, json, type Action } from './common.js';

export const listProject: Action = async (hub, req) => {
  const offset = intField(req.query.get('offset'), 'offset', 0, 1e9, 0);
  const size = intField(req.query.get('size'), 'size', 0, 500, 100);
  const filter = req.query.get('projectName') ?? '';
  const all = Object.values(hub.meta.projects)
    .filter((p) => p.projectName.includes(filter))
    .sort((a, b) => a.projectName.localeCompare(b.projectName));
  const page = all.slice(offset, offset + size).map((p) => projectView(hub, p));
  return json({ count: page.length, total: all.length, projects: page });
};
