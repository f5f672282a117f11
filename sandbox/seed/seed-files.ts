import type { Tree } from '../state/trees';
import type { SeedRepository } from './seed-data';

/**
 * The pipeline definition every seeded repository starts with. `custom: fail` always fails, so
 * tests and demos can produce a red build without variables.
 */
export const SEED_PIPELINES_YML = `image: node:20

pipelines:
  default:
    - step:
        name: Build and test
        script:
          - npm ci
          - npm test
  branches:
    main:
      - step:
          name: Build and test
          script:
            - npm ci
            - npm test
      - step:
          name: Deploy to staging
          script:
            - ./deploy.sh staging
  custom:
    deploy:
      - step:
          name: Deploy to production
          script:
            - ./deploy.sh production
    fail:
      - step:
          name: Always fails
          script:
            - exit 1
`;

export function toInitialTree(repo: SeedRepository): Tree {
  return {
    'README.md': `# ${repo.name}\n\n${repo.description}\n`,
    'bitbucket-pipelines.yml': SEED_PIPELINES_YML,
    'CHANGELOG.md': '# Changelog\n',
  };
}
