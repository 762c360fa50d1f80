// One job on the real engine: scripts, after_script, entrypoints, container settings, timeout, cancel,
// and nothing left behind.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { IMAGE, leftovers, runProject, withProject } from './run-project.js';

function engineRunsPrivileged(): Promise<boolean> {
  return new Promise((resolve) => execFile('docker', ['run', '--rm', '--privileged', '--label', 'dev.jobsim.test=true', 'jobsim-test/shell:1', 'true'], (error) => resolve(!error)));
}

const job = (name: string, lines: string[]) => [`${name}:`, IMAGE, ...lines].join('\n') + '\n';

describe('running a job', () => {
  it('stops at the first failing command, runs after_script anyway, reports the exit code, leaves nothing', async () => {
    const yml = job('failing', ['  script:', '    - echo before-failure', '    - sh -c "exit 3"', '    - echo never-printed', '  after_script:', '    - echo "after status=$CI_JOB_STATUS"']);
    await withProject({ '.gitlab-ci.yml': yml }, async (dir) => {
      const result = await runProject(dir);
      expect(result.status).toBe('failed');
      const log = result.log('failing');
      expect(log).toContain('before-failure');
      expect(log).not.toContain('never-printed');
      expect(log).toContain('after status=failed');
      expect(log).toContain('ERROR: Job failed: exit code 3');
      expect(result.events).toContainEqual(expect.objectContaining({ type: 'job', job: 'failing', state: 'failed', exitCode: 3 }));
      const stages = result.events.flatMap((e) => (e.type === 'stage' && e.state === 'finished' ? [`${e.stage}:${e.status}`] : []));
      expect(stages).toEqual(['prepare:success', 'pre-build:success', 'build:failed', 'post-build:success']);
      expect(await leftovers(result.handle.runId)).toEqual([]);
    });
  });

  it('copies the project files into the project dir and gives the CI variables', async () => {
    const yml = job('files', ['  script:', '    - pwd', '    - cat hello.txt', '    - echo "dir=$CI_PROJECT_DIR name=$CI_JOB_NAME"', '    - test -L link-to-hello']);
    await withProject({ '.gitlab-ci.yml': yml, 'hello.txt': 'hello from the host\n' }, async (dir) => {
      const { symlink } = await import('node:fs/promises');
      await symlink('hello.txt', `${dir}/link-to-hello`);
      const result = await runProject(dir);
      const log = result.log('files');
      expect(result.status).toBe('success');
      expect(log).toContain('hello from the host');
      const pwd = log[log.indexOf('\x1b[32;1m$ pwd\x1b[0;m') + 1];
      expect(log).toContain(`dir=${pwd} name=files`);
    });
  });

  it('keeps the image ENTRYPOINT, overrides it, clears it, or ignores it by runner setting', async () => {
    const entry = (name: string, extra: string[]) => [`${name}:`, '  image:', '    name: jobsim-test/entrypoint:1', '    pull_policy: never', ...extra, '  script:', '    - echo "ran=${ENTRYPOINT_RAN:-no}"'].join('\n');
    const yml = [
      entry('kept', []),
      entry('cleared', ['    entrypoint: [""]']),
      entry('overridden', ['    entrypoint: ["/bin/sh", "-c", "export ENTRYPOINT_RAN=override; exec \\"$@\\"", "--"]']),
    ].join('\n') + '\n';
    await withProject({ '.gitlab-ci.yml': yml, 'ignore.toml': 'ignore_image_entrypoint = true\nallowed_pull_policies = ["never"]\n' }, async (dir) => {
      const result = await runProject(dir);
      expect(result.status).toBe('success');
      expect(result.log('kept')).toContain('ran=yes');
      expect(result.log('cleared')).toContain('ran=no');
      expect(result.log('overridden')).toContain('ran=override');
      const ignored = await runProject(dir, { runnerConfig: `${dir}/ignore.toml`, jobs: ['kept'] });
      expect(ignored.log('kept')).toContain('ran=no');
    });
  });

  it('honours tmpfs and user from the runner config', async () => {
    const yml = job('settings', ['  script:', '    - id -u', '    - grep " /scratch " /proc/mounts | cut -d" " -f3']);
    const toml = ['user = "1000"', 'allowed_pull_policies = ["never"]', '[tmpfs]', '"/scratch" = "rw,size=16m"'].join('\n');
    await withProject({ '.gitlab-ci.yml': yml, 'config.toml': toml }, async (dir) => {
      const result = await runProject(dir, { runnerConfig: `${dir}/config.toml` });
      expect(result.status).toBe('success');
      expect(result.log('settings')).toEqual(expect.arrayContaining(['1000', 'tmpfs']));
    });
  });

  it('runs privileged when the runner config says so', async () => {
    const yml = job('privileged', ['  script:', '    - mkdir -p /mnt/t && mount -t tmpfs none /mnt/t && echo mount-allowed || echo mount-refused']);
    await withProject({ '.gitlab-ci.yml': yml, 'on.toml': 'privileged = true\nallowed_pull_policies = ["never"]\n', 'off.toml': 'allowed_pull_policies = ["never"]\n' }, async (dir) => {
      const off = await runProject(dir, { runnerConfig: `${dir}/off.toml` });
      expect(off.log('privileged')).toContain('mount-refused');
      const on = await runProject(dir, { runnerConfig: `${dir}/on.toml` });
      const build = on.events.find((e) => e.type === 'resource' && e.role === 'build' && e.action === 'created');
      expect(build).toMatchObject({ detail: { privileged: true } });
      if (await engineRunsPrivileged()) {
        expect(on.log('privileged')).toContain('mount-allowed');
      } else {
        // Some sandboxes (this CI's VM among them) refuse privileged containers: then the engine's own
        // refusal must reach the user, which also proves the flag reached Docker.
        expect(on.status).toBe('failed');
        expect(on.log('privileged').join('\n')).toMatch(/caps|privileged|operation not permitted/i);
      }
    });
  });

  it('stops a job at its timeout, still runs after_script, and says how long it took', async () => {
    const yml = job('slow', ['  timeout: 2s', '  script:', '    - echo started', '    - sleep 60', '  after_script:', '    - echo cleanup-ran']);
    await withProject({ '.gitlab-ci.yml': yml }, async (dir) => {
      const result = await runProject(dir);
      expect(result.status).toBe('failed');
      expect(result.events).toContainEqual(expect.objectContaining({ type: 'job', job: 'slow', state: 'failed', reason: { kind: 'timeout', timeoutMs: 2000 } }));
      expect(result.log('slow')).toContain('cleanup-ran');
      // GitLab Runner prints a Go duration followed by "seconds": `took longer than 1h0m0s seconds`.
      expect(result.log('slow').some((l) => l.includes('execution took longer than 2s seconds'))).toBe(true);
      expect(await leftovers(result.handle.runId)).toEqual([]);
    });
  });

  it('cancels a running job: after_script runs, the job is canceled, nothing is left', async () => {
    const yml = job('long', ['  script:', '    - echo long-started', '    - sleep 120', '  after_script:', '    - echo after-cancel']);
    await withProject({ '.gitlab-ci.yml': yml }, async (dir) => {
      let canceled = false;
      const result = await runProject(dir, {}, (handle, events) => {
        if (!canceled && events.some((e) => e.type === 'log' && e.text === 'long-started')) {
          canceled = true;
          handle.cancel();
        }
      });
      expect(result.status).toBe('canceled');
      expect(result.events).toContainEqual(expect.objectContaining({ type: 'job', job: 'long', state: 'canceled' }));
      expect(result.log('long')).toContain('after-cancel');
      expect(await leftovers(result.handle.runId)).toEqual([]);
    });
  });
});
