import { readRepoFile } from './support';

const dockerfiles = ['backend/Dockerfile', 'frontend/Dockerfile'];

/** Image references of FROM lines and of the ARGs they name. */
function baseImages(text: string): string[] {
  const args = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  return [...text.matchAll(/^FROM (\S+)/gm)].map((m) =>
    m[1]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? name),
  );
}

describe('Dockerfiles', () => {
  it.each(dockerfiles)('when %s is read, then every external base image is pinned to an exact release', (file) => {
    const text = readRepoFile(file);
    const stages = [...text.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    const external = baseImages(text).filter((image) => !stages.includes(image));
    expect(external.length).toBeGreaterThan(0);
    for (const image of external) expect(image).toMatch(/^[a-z0-9./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/);
  });

  it.each(dockerfiles)('when %s is read, then its final stage runs unprivileged with a health check', (file) => {
    const text = readRepoFile(file);
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER (node|nginx)$/m);
    expect(final).toMatch(/^HEALTHCHECK /m);
  });

  it('when the service image is read, then it installs production dependencies only and ships the migrations', () => {
    const text = readRepoFile('backend/Dockerfile');
    expect(text).toContain('npm ci --omit=dev');
    expect(text).toContain('COPY backend/${SERVICE}/drizzle backend/${SERVICE}/drizzle');
    expect(text).toMatch(/HEALTHCHECK[\s\S]*\/ready/);
  });

  it('when the front image is read, then it serves the SPA through the shared nginx template', () => {
    const text = readRepoFile('frontend/Dockerfile');
    expect(text).toContain('COPY deploy/nginx/nginx.conf.template /etc/marketplace/nginx.conf.template');
    expect(text).toContain('COPY --from=build /app/frontend/dist /usr/share/marketplace');
  });

  it('when the build context filter is read, then dependencies, build output, git and env files stay out', () => {
    const ignored = readRepoFile('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git', '.env', '**/*.env', '.local'])
      expect(ignored).toContain(entry);
  });
});
