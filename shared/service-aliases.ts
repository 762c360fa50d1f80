// Host names a service container answers to on the job network, derived the way GitLab Runner does.

/**
 * The runner strips the tag (and digest) and any registry port, then offers the name with every `/`
 * replaced by `__` and by `-`: `registry.example.com:4999/tutum/wordpress:latest` →
 * `registry.example.com__tutum__wordpress`, `registry.example.com-tutum-wordpress`.
 */
export function deriveServiceAliases(imageName: string): string[] {
  let name = imageName.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const lastSlash = name.lastIndexOf('/');
  const tagColon = name.indexOf(':', lastSlash + 1);
  if (tagColon >= 0) name = name.slice(0, tagColon);
  // A port belongs to the first component when that component is a registry host.
  const firstSlash = name.indexOf('/');
  if (firstSlash > 0) {
    const host = name.slice(0, firstSlash).replace(/:[0-9]+$/, '');
    name = host + name.slice(firstSlash);
  }
  const aliases = [name.replaceAll('/', '__'), name.replaceAll('/', '-')];
  return [...new Set(aliases)];
}

/** `alias: "db, postgres main"`: GitLab accepts several aliases separated by commas or spaces. */
export function splitCustomAliases(alias: string): string[] {
  return [...new Set(alias.split(/[\s,]+/).filter((a) => a !== ''))];
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$/;

/** Why an alias cannot be a host name on the job network, or undefined when it can. */
export function aliasProblem(alias: string): string | undefined {
  if (HOSTNAME.test(alias)) return undefined;
  return `service alias "${alias}" is not a valid host name (letters, digits, - and _, dot-separated, at most 63 per part)`;
}
