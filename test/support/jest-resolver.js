// jest 27 (the SDK dev-tools version) ignores package.json "exports", so
// subpath imports such as '@typespec/ts-http-runtime/internal/policies'
// (used by @azure/identity 4) cannot be found. Fall back to reading the
// package's "exports" map with the conditions Node uses for require().
const fs = require('fs');
const path = require('path');

const CONDITIONS = ['node', 'require', 'default'];

function pick(target) {
  if (typeof target === 'string') return target;
  if (target && typeof target === 'object') {
    for (const condition of CONDITIONS) {
      if (condition in target) {
        const picked = pick(target[condition]);
        if (picked) return picked;
      }
    }
  }
  return undefined;
}

function findPackageDir(name, basedir) {
  for (let dir = basedir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    const match = /^((?:@[^/]+\/)?[^/.][^/]*)(\/.+)?$/.exec(request);
    const packageDir = match && findPackageDir(match[1], options.basedir);
    if (!packageDir) throw error;
    const { exports } = JSON.parse(
      fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
    );
    const target = exports && pick(exports[`.${match[2] || ''}`]);
    if (!target) throw error;
    return path.join(packageDir, target);
  }
};
