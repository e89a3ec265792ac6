/** Every variable whose value must never be printed: credentials of every network and GitHub's token. */
export const SECRET_VARIABLES = ['X_API_KEY', 'X_API_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET', 'MASTODON_TOKEN', 'BLUESKY_APP_PASSWORD', 'GITHUB_TOKEN'] as const;
