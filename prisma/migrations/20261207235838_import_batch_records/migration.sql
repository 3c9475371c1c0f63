-- AlterTable
ALTER TABLE "ImportBatch" ADD COLUMN     "records" JSON;

