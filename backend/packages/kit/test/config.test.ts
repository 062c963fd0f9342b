import { z } from 'zod';
import { ConfigError, env, parseConfig } from '@market/kit';

describe('parseConfig', () => {
  const shape = {
    PORT: env.port(3000),
    DATABASE_URL: env.url(['postgres']),
    DEMO_MODE: env.boolean(false),
    NAME: z.string().min(1),
  };

  it('when every key is valid, then it returns a frozen typed object with defaults applied', () => {
    const config = parseConfig(shape, { DATABASE_URL: 'postgres://x@h/db', NAME: 'n', DEMO_MODE: 'true' });
    expect(config).toEqual({ PORT: 3000, DATABASE_URL: 'postgres://x@h/db', DEMO_MODE: true, NAME: 'n' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when several keys are missing or bad, then the error names every one of them', () => {
    let caught: unknown;
    try {
      parseConfig(shape, { PORT: 'abc', DATABASE_URL: 'mysql://x', DEMO_MODE: 'maybe' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'DEMO_MODE', 'NAME: missing']) expect(problems).toContain(key);
  });
});
