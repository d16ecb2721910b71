// A model-impact analysis in a process of its own (argv: repository, SQLite file, workers), for the test that kills
// it with SIGKILL midway and checks that the next analysis continues from the stored trainings.
import { analyzeModelImpact } from '../model-impact/analyze-model-impact.js';
import { TrainingPool } from '../model-impact/training-pool.js';
import { openDatabase } from '../store/database.js';
import { ModelTrainingsRepository } from '../store/model-trainings-repository.js';

const [repo, dbFile, workers] = process.argv.slice(2);
const db = openDatabase(dbFile!);
const pool = new TrainingPool({ workers: Number(workers ?? 1) });
analyzeModelImpact(repo!, { runner: pool, store: new ModelTrainingsRepository(db), seeds: 3, method: 'replay' })
  .then(() => pool.close())
  .finally(() => db.close());
