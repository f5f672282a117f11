import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class MirrorRepositoryModelRow extends Model<InferAttributes<MirrorRepositoryModelRow>, InferCreationAttributes<MirrorRepositoryModelRow>> {
  declare clientKey: string;
  declare uuid: string;
  declare fullName: string;
  declare data: string;
  declare pullRequestsSyncedAt: Date | null;
  declare lastEventAt: Date | null;
  declare mirroredAt: Date;
}

export class MirrorPullRequestModelRow extends Model<InferAttributes<MirrorPullRequestModelRow>, InferCreationAttributes<MirrorPullRequestModelRow>> {
  declare clientKey: string;
  declare repositoryUuid: string;
  declare id: number;
  declare state: string;
  declare updatedOn: string;
  declare sourceHash: string | null;
  declare statusesHash: string | null;
  declare data: string;
  declare mirroredAt: Date;
}

export class MirrorCommitStatusModelRow extends Model<InferAttributes<MirrorCommitStatusModelRow>, InferCreationAttributes<MirrorCommitStatusModelRow>> {
  declare clientKey: string;
  declare repositoryUuid: string;
  declare commitHash: string;
  declare key: string;
  declare updatedOn: string;
  declare data: string;
}

export class MirrorSyncProgressModelRow extends Model<InferAttributes<MirrorSyncProgressModelRow>, InferCreationAttributes<MirrorSyncProgressModelRow>> {
  declare clientKey: string;
  declare state: string;
  declare repositoriesTotal: number;
  declare repositoriesDone: number;
  declare statusesPending: number;
  declare startedAt: Date;
  declare updatedAt: Date;
  declare finishedAt: Date | null;
  declare lastSweepAt: Date | null;
  declare message: string | null;
}

export class MirrorBranchModelRow extends Model<InferAttributes<MirrorBranchModelRow>, InferCreationAttributes<MirrorBranchModelRow>> {
  declare clientKey: string;
  declare repositoryUuid: string;
  declare name: string;
  declare targetHash: string;
  declare targetDate: string | null;
  declare mirroredAt: Date;
}

export class MirrorRepositoryFactModelRow extends Model<InferAttributes<MirrorRepositoryFactModelRow>, InferCreationAttributes<MirrorRepositoryFactModelRow>> {
  declare clientKey: string;
  declare repositoryUuid: string;
  declare kind: string;
  declare data: string;
  declare syncedAt: Date;
}

export interface MirrorModels {
  MirrorRepository: ModelStatic<MirrorRepositoryModelRow>;
  MirrorPullRequest: ModelStatic<MirrorPullRequestModelRow>;
  MirrorCommitStatus: ModelStatic<MirrorCommitStatusModelRow>;
  MirrorSyncProgress: ModelStatic<MirrorSyncProgressModelRow>;
  MirrorBranch: ModelStatic<MirrorBranchModelRow>;
  MirrorRepositoryFact: ModelStatic<MirrorRepositoryFactModelRow>;
}

const key = (type: DataTypes.DataType) => ({ type, allowNull: false, primaryKey: true });
const options = (sequelize: Sequelize, tableName: string, modelName: string) => ({ sequelize, tableName, modelName, underscored: true, timestamps: false });

/** The mirror's four models (migration 0012); each binds a fresh subclass to this Sequelize. */
export function defineMirrorModels(sequelize: Sequelize): MirrorModels {
  class MirrorRepository extends MirrorRepositoryModelRow {}
  MirrorRepository.init({
    clientKey: key(DataTypes.STRING(255)), uuid: key(DataTypes.STRING(64)),
    fullName: { type: DataTypes.STRING(512), allowNull: false }, data: { type: DataTypes.TEXT, allowNull: false },
    pullRequestsSyncedAt: { type: DataTypes.DATE, allowNull: true }, lastEventAt: { type: DataTypes.DATE, allowNull: true },
    mirroredAt: { type: DataTypes.DATE, allowNull: false },
  }, options(sequelize, 'mirror_repositories', 'MirrorRepository'));
  class MirrorPullRequest extends MirrorPullRequestModelRow {}
  MirrorPullRequest.init({
    clientKey: key(DataTypes.STRING(255)), repositoryUuid: key(DataTypes.STRING(64)), id: key(DataTypes.INTEGER),
    state: { type: DataTypes.STRING(16), allowNull: false }, updatedOn: { type: DataTypes.STRING(32), allowNull: false },
    sourceHash: { type: DataTypes.STRING(12), allowNull: true }, statusesHash: { type: DataTypes.STRING(12), allowNull: true },
    data: { type: DataTypes.TEXT, allowNull: false }, mirroredAt: { type: DataTypes.DATE, allowNull: false },
  }, options(sequelize, 'mirror_pull_requests', 'MirrorPullRequest'));
  class MirrorCommitStatus extends MirrorCommitStatusModelRow {}
  MirrorCommitStatus.init({
    clientKey: key(DataTypes.STRING(255)), repositoryUuid: key(DataTypes.STRING(64)), commitHash: key(DataTypes.STRING(12)), key: key(DataTypes.STRING(255)),
    updatedOn: { type: DataTypes.STRING(32), allowNull: false }, data: { type: DataTypes.TEXT, allowNull: false },
  }, options(sequelize, 'mirror_commit_statuses', 'MirrorCommitStatus'));
  class MirrorSyncProgress extends MirrorSyncProgressModelRow {}
  MirrorSyncProgress.init({
    clientKey: key(DataTypes.STRING(255)), state: { type: DataTypes.STRING(16), allowNull: false },
    repositoriesTotal: { type: DataTypes.INTEGER, allowNull: false }, repositoriesDone: { type: DataTypes.INTEGER, allowNull: false },
    statusesPending: { type: DataTypes.INTEGER, allowNull: false }, startedAt: { type: DataTypes.DATE, allowNull: false },
    updatedAt: { type: DataTypes.DATE, allowNull: false }, finishedAt: { type: DataTypes.DATE, allowNull: true },
    lastSweepAt: { type: DataTypes.DATE, allowNull: true }, message: { type: DataTypes.TEXT, allowNull: true },
  }, options(sequelize, 'mirror_sync_progress', 'MirrorSyncProgress'));
  // Migration 0029.
  class MirrorBranch extends MirrorBranchModelRow {}
  MirrorBranch.init({
    clientKey: key(DataTypes.STRING(255)), repositoryUuid: key(DataTypes.STRING(64)), name: key(DataTypes.STRING(255)),
    targetHash: { type: DataTypes.STRING(40), allowNull: false }, targetDate: { type: DataTypes.STRING(32), allowNull: true },
    mirroredAt: { type: DataTypes.DATE, allowNull: false },
  }, options(sequelize, 'mirror_branches', 'MirrorBranch'));
  class MirrorRepositoryFact extends MirrorRepositoryFactModelRow {}
  MirrorRepositoryFact.init({
    clientKey: key(DataTypes.STRING(255)), repositoryUuid: key(DataTypes.STRING(64)), kind: key(DataTypes.STRING(32)),
    data: { type: DataTypes.TEXT, allowNull: false }, syncedAt: { type: DataTypes.DATE, allowNull: false },
  }, options(sequelize, 'mirror_repository_facts', 'MirrorRepositoryFact'));
  return { MirrorRepository, MirrorPullRequest, MirrorCommitStatus, MirrorSyncProgress, MirrorBranch, MirrorRepositoryFact };
}
